using Slipway.Core.Compose;
using Slipway.Core.Config;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Files;
using Slipway.Infrastructure.Hooks;

namespace Slipway.Infrastructure.Operations;

public sealed record InitRequest
{
    public required string StackArgument { get; init; }

    public required string Output { get; init; }

    public DeployTarget DeployTo { get; init; } = DeployTarget.Compose;

    /// <summary><c>--config K=V,K2=V2</c> pairs, already split.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Config { get; init; } = [];

    public string? ConfigFile { get; init; }

    public PortMappingMode PortMode { get; init; } = PortMappingMode.AnyVariableRandom;

    public string? KubeConfig { get; init; }

    public string? ImageRegistry { get; init; }

    /// <summary>Spec keys merged over everything generated (see <see cref="InitOptions.Overlay"/>).</summary>
    public YamlDotNet.RepresentationModel.YamlMappingNode? Overlay { get; init; }
}

/// <summary><c>deploy init</c>: writes a new spec for a stack. The spec is the operator's from then on: init never overwrites one.</summary>
public sealed class DeployInit(SlipwayEnvironment env)
{
    public async Task<IReadOnlyList<Diagnostic>> RunAsync(InitRequest request, CancellationToken cancellationToken)
    {
        var output = env.Resolve(request.Output);
        if (File.Exists(output))
        {
            throw new SlipwayException(FailureReason.Conflict, $"{request.Output} already exists; deploy init never overwrites a spec",
                "edit it by hand, or remove it first to generate a new one");
        }

        if (!Directory.Exists(Path.GetDirectoryName(output)))
        {
            throw new SlipwayException(FailureReason.NotFound, $"the folder for {request.Output} does not exist");
        }

        CheckTargetOptions(request);
        var diagnostics = new DiagnosticBag();
        var config = new List<KeyValuePair<string, string>>();
        var fromFile = new List<KeyValuePair<string, string>>();
        if (request.ConfigFile is not null)
        {
            fromFile.AddRange(ReadDotEnv(env.Resolve(request.ConfigFile), diagnostics));
        }

        foreach (var pair in request.Config)
        {
            if (!Slipway.Core.Names.IsValidEnvName(pair.Key))
            {
                diagnostics.Error(DiagnosticCodes.InvalidName, $"--config key '{pair.Key}' is not a valid environment variable name");
            }

            config.RemoveAll(c => c.Key == pair.Key);
            config.Add(pair);
        }

        diagnostics.ThrowIfErrors();
        var stackDirectory = StackResolver.Resolve(request.StackArgument, env.CurrentDirectory, env.ShippedStackRoots, new DiskHostFiles());
        var stack = Stack.Load(stackDirectory, new DiskHostFiles(), diagnostics, fallbackRoots: env.LaconicDataRoots);
        var values = fromFile.Concat(config).GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        var bundle = StackBundle.Load(stack, env.RepositoryBase, k => values.GetValueOrDefault(k), diagnostics);

        var hookResult = await new HookRunner(env.Runner).RunAsync(stack, "init",
            new HookContext("init") { SpecFile = output, DeployTo = request.DeployTo.ToName() }, cancellationToken);
        var pythonSpec = await PythonInitAsync(stack, cancellationToken, diagnostics);
        var hookSpec = hookResult is null ? pythonSpec : SpecGenerator.ParseHookOutput(hookResult.StandardOutput, HookRunner.Find(stack, "init")!, diagnostics);
        diagnostics.ThrowIfErrors();

        var reference = StackResolver.IsPath(request.StackArgument) || !env.ShippedStackRoots.Any(r => Path.Combine(r, request.StackArgument) == stackDirectory)
            ? RelativeReference(Path.GetDirectoryName(output)!, stackDirectory)
            : request.StackArgument;
        var text = SpecGenerator.Generate(bundle, new InitOptions
        {
            StackReference = reference,
            DeployTo = request.DeployTo,
            Config = config,
            EnvFiles = request.ConfigFile is null ? [] : [RelativeReference(Path.GetDirectoryName(output)!, env.Resolve(request.ConfigFile))],
            PortMode = request.PortMode,
            KubeConfig = request.KubeConfig,
            ImageRegistry = request.ImageRegistry,
            Overlay = request.Overlay,
        }, hookSpec, env.Random);

        AtomicFile.WriteText(output, text);
        if (request.ConfigFile is not null)
        {
            // The spec is committed to git; secrets never are. The file is named in env-files and read at create.
            diagnostics.Warning(DiagnosticCodes.InvalidValue,
                $"the values of {request.ConfigFile} are not copied into {request.Output}: the spec names the file in 'env-files' (keep it on this host, chmod 600, outside git)");
        }

        return diagnostics.Sorted();
    }

    /// <summary>
    /// laconic-so's init(command_context) of the first commands.py defining it: the dict it returns is merged as the
    /// output of hooks/init is (the spec's generated keys under it, --config over its config). hooks/init takes precedence.
    /// </summary>
    private async Task<YamlDotNet.RepresentationModel.YamlMappingNode?> PythonInitAsync(Stack stack, CancellationToken cancellationToken, DiagnosticBag diagnostics)
    {
        var modules = PythonHookRunner.StackModules(stack, env.DevRoot);
        var outcome = await new PythonHookRunner(env.Runner, env.Tools.Python, env.Reporter, env.Flags.DryRun).RunAsync("init", modules,
            HookRunner.Find(stack, "init") is null ? null : "hooks/init", result => PythonHookCalls.ForStack("init", stack, modules, env, result),
            new HookRun(env.CurrentDirectory), cancellationToken);
        // What init() printed is its own (its result comes back through a file, unlike hooks/init's stdout).
        foreach (var line in (outcome?.Output ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries)) env.Reporter.Detail(line);
        if (outcome is null || outcome.ResultJson == "null") return null;
        var module = PythonHooks.Select("init", modules)[0].Path;
        // JSON is YAML: the returned dict goes through the very parser (and checks) hooks/init's output does.
        return SpecGenerator.ParseHookResult(outcome.ResultJson, $"{module}: init()", diagnostics);
    }

    private static void CheckTargetOptions(InitRequest request)
    {
        if (request.DeployTo == DeployTarget.K8s && request.KubeConfig is null)
        {
            throw new SlipwayException(FailureReason.InvalidInput, "--kube-config must be given with --deploy-to k8s");
        }

        if (request.DeployTo != DeployTarget.K8s && request.KubeConfig is not null)
        {
            throw new SlipwayException(FailureReason.InvalidInput, $"--kube-config is not allowed with a {request.DeployTo.ToName()} deployment");
        }

        if (request.DeployTo == DeployTarget.Compose && request.ImageRegistry is not null)
        {
            throw new SlipwayException(FailureReason.InvalidInput, "--image-registry is only for k8s and k8s-kind deployments");
        }
    }

    internal static IEnumerable<KeyValuePair<string, string>> ReadDotEnv(string path, DiagnosticBag diagnostics)
    {
        if (!File.Exists(path))
        {
            diagnostics.Error(DiagnosticCodes.NotFound, $"config file {path} does not exist");
            return [];
        }

        return DotEnvFile.Read(InputFile.ReadBytes(path), path, diagnostics).Select(e => new KeyValuePair<string, string>(e.Key, e.Value)).ToList();
    }

    /// <summary>
    /// The stack path as written in the spec: relative to the spec's folder when the two sit close together (a spec
    /// kept beside its stack resolves on any checkout), absolute when the relative path would climb far out.
    /// </summary>
    private static string RelativeReference(string from, string to)
    {
        var relative = Path.GetRelativePath(from, to).Replace('\\', '/');
        if (Path.IsPathRooted(relative) || relative.StartsWith("../../", StringComparison.Ordinal))
        {
            return to;
        }

        return relative.StartsWith('.') ? relative : "./" + relative;
    }
}
