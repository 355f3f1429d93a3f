using Slipway.Core.Diagnostics;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Files;
using Slipway.Infrastructure.Hooks;

namespace Slipway.Infrastructure.Operations;

/// <summary>The flags of <c>deploy setup</c>, laconic-so's LaconicStackSetupCommand, each handed to the hook as a variable.</summary>
public sealed record SetupRequest
{
    public required string StackArgument { get; init; }

    /// <summary>Flag name (without dashes) → value; switches are "true". Only flags given are present.</summary>
    public IReadOnlyDictionary<string, string> Flags { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>The deploy group's stack-mode flags: the compose project a commands.py setup()'s run_container_command uses, as laconic-so's context.</summary>
    public string? Include { get; init; }

    public string? Exclude { get; init; }

    public string? EnvFile { get; init; }

    public string? Cluster { get; init; }
}

/// <summary>
/// <c>slipway --stack S deploy setup [flags] [extra...]</c>: runs the stack's <c>hooks/setup</c> executable in the
/// current directory with each flag as <c>SLIPWAY_SETUP_&lt;FLAG&gt;</c> (e.g. <c>--chain-id X</c> →
/// <c>SLIPWAY_SETUP_CHAIN_ID=X</c>) and the extra arguments as its arguments; returns what it printed.
/// </summary>
public sealed class DeploySetup(SlipwayEnvironment env)
{
    public static string Variable(string flag) => "SLIPWAY_SETUP_" + flag.Replace('-', '_').ToUpperInvariant();

    public async Task<string> RunAsync(SetupRequest request, CancellationToken cancellationToken)
    {
        var files = new DiskHostFiles();
        var diagnostics = new DiagnosticBag();
        var stack = Stack.Load(StackResolver.Resolve(request.StackArgument, env.CurrentDirectory, env.ShippedStackRoots, files), files, diagnostics, fallbackRoots: env.LaconicDataRoots);
        diagnostics.ThrowIfErrors();
        var modules = PythonHookRunner.StackModules(stack, env.DevRoot);
        var native = HookRunner.Find(stack, "setup");
        if (native is null && PythonHooks.Select("setup", modules).Count == 0)
        {
            throw new SlipwayException(FailureReason.NotFound, $"stack {stack.Name} has no setup hook ({Path.Combine(stack.HooksDirectory, "setup")}, or setup() in {Path.Combine(stack.Directory, PythonHooks.RelativePath)})",
                "deploy setup runs the stack's hooks/setup executable or laconic-so's setup() of its commands.py; this stack needs no setup");
        }

        var output = "";
        if (native is not null)
        {
            if ((request.Include ?? request.Exclude ?? request.EnvFile ?? request.Cluster) is not null)
            {
                env.Reporter.Warn("--include, --exclude, --env-file and --cluster are not given to hooks/setup (they choose the compose project a commands.py setup() runs its containers in)");
            }

            var variables = request.Flags.ToDictionary(f => Variable(f.Key), f => (string?)f.Value, StringComparer.Ordinal);
            var result = await new HookRunner(env.Runner).RunAsync(stack, "setup", new HookContext("setup")
            {
                WorkingDirectory = env.CurrentDirectory,
                Variables = variables,
                Arguments = request.ExtraArguments,
            }, cancellationToken);
            output = result!.StandardOutput;
        }

        // laconic-so's setup(ctx, LaconicStackSetupCommand, extra_args), in the current directory as laconic-so runs it.
        var python = await new PythonHookRunner(env.Runner, env.Tools.Python, env.Reporter, env.Flags.DryRun).RunAsync("setup", modules,
            native is null ? null : "hooks/setup",
            file => PythonHookCalls.ForStack("setup", stack, modules, env, file, request) with { SetupFlags = request.Flags, ExtraArguments = [.. request.ExtraArguments] },
            new HookRun(env.CurrentDirectory), cancellationToken);
        return output + python?.Output;
    }
}
