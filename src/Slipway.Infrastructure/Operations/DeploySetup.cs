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
        var stack = Stack.Load(StackResolver.Resolve(request.StackArgument, env.CurrentDirectory, env.ShippedStackRoots, files), files, diagnostics);
        diagnostics.ThrowIfErrors();
        foreach (var warning in PythonHookWarnings.For(stack, env.RepositoryBase).Where(w => w.Contains(" setup()", StringComparison.Ordinal))) env.Reporter.Warn(warning);
        if (HookRunner.Find(stack, "setup") is null)
        {
            throw new SlipwayException(FailureReason.NotFound, $"stack {stack.Name} has no setup hook ({Path.Combine(stack.HooksDirectory, "setup")})",
                "deploy setup runs the stack's hooks/setup executable; this stack needs no setup");
        }

        var variables = request.Flags.ToDictionary(f => Variable(f.Key), f => (string?)f.Value, StringComparer.Ordinal);
        var result = await new HookRunner(env.Runner).RunAsync(stack, "setup", new HookContext("setup")
        {
            WorkingDirectory = env.CurrentDirectory,
            Variables = variables,
            Arguments = request.ExtraArguments,
        }, cancellationToken);
        return result!.StandardOutput;
    }
}
