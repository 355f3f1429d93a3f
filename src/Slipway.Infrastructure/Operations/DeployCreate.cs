using System.Security.Cryptography;
using Slipway.Core.Files;
using Slipway.Core.Config;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Rendering;
using Slipway.Core.Rendering.Kubernetes;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Files;
using Slipway.Infrastructure.Hooks;
using Slipway.Infrastructure.Logging;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Operations;

public sealed record CreateRequest
{
    /// <summary>The global <c>--stack</c>, when given; the spec's <c>stack:</c> is used otherwise.</summary>
    public string? StackArgument { get; init; }

    public required string SpecFile { get; init; }

    public required string DeploymentDirectory { get; init; }

    public bool Update { get; init; }

    /// <summary>laconic-so's create-hook inputs: given to the hook as SLIPWAY_NETWORK_DIR / SLIPWAY_INITIAL_PEERS.</summary>
    public string? NetworkDirectory { get; init; }

    public string? InitialPeers { get; init; }

    /// <summary>The create hook's arguments.</summary>
    public IReadOnlyList<string> HookArguments { get; init; } = [];

    /// <summary>Also write D/chart (Kubernetes targets); an update renders the chart again whenever D has one.</summary>
    public bool HelmChart { get; init; }

    /// <summary>--update: replace a stale lock of D (its process gone) instead of refusing.</summary>
    public bool BreakLock { get; init; }
}

public sealed record CreateResult(DeploymentFile Deployment, RenderedDeployment Rendered, UpdateReport? Update, IReadOnlyList<Diagnostic> Warnings, string? HookOutput);

/// <summary>A render of <c>deploy create</c> that has not been written yet: everything it would write, and what it found.</summary>
public sealed record CreatePlan(DeploymentLayout Layout, Stack Stack, Spec Spec, DeploymentFile Deployment, bool Update, RenderedDeployment Rendered, IReadOnlyList<Diagnostic> Warnings)
{
    /// <summary>Every service of the rendered pod files with the image it gets (the stack's compose image, or the spec's image-override).</summary>
    public required IReadOnlyList<ServiceImage> PodServices { get; init; }

    /// <summary>The key the pod templates' config hashes were made with (never in any rendered file).</summary>
    public required byte[] ConfigHashKey { get; init; }

    /// <summary>The request this plan was rendered for (its hook inputs), when it came from deploy create.</summary>
    public CreateRequest? Request { get; init; }

    /// <summary>True when the key was made by this render and must be stored with what it writes.</summary>
    public bool ConfigHashKeyIsNew { get; init; }

    /// <summary>The stack's laconic-so commands.py modules (its own, then its repository pods'): create() runs from these, D/hooks holds their copies.</summary>
    public IReadOnlyList<HookModule> PythonModules { get; init; } = [];
}

/// <summary>A pod service of a rendered deployment, the compose file of D it is in, and its image.</summary>
public sealed record ServiceImage(string Service, string File, string Image);

/// <summary><c>deploy create [--update]</c>: renders spec + stack into a deployment directory, then writes it and runs the create hook.</summary>
public sealed class DeployCreate(SlipwayEnvironment env)
{
    private const int ConfigHashKeyLength = 32;

    private readonly DiskHostFiles _files = new();

    /// <summary>An --update of an existing D takes its lock (refused during a run); a restart's sync renders and writes under its run's lock.</summary>
    public async Task<CreateResult> RunAsync(CreateRequest request, CancellationToken cancellationToken)
    {
        var layout = new DeploymentLayout(env.Resolve(request.DeploymentDirectory));
        using var held = request.Update && File.Exists(layout.DeploymentFile)
            ? Pipeline.DeploymentLock.ForCommand(layout, "deploy create --update", request.BreakLock, env.Clock)
            : null;
        if (held?.Replaced is { } stale) env.Reporter.Warn($"broke the stale lock of {stale}");
        return await WriteAsync(await RenderAsync(request, cancellationToken), cancellationToken);
    }

    /// <summary>Reads and checks every input and renders D in memory: nothing is written, no hook runs.</summary>
    public async Task<CreatePlan> RenderAsync(CreateRequest request, CancellationToken cancellationToken)
    {
        var layout = new DeploymentLayout(env.Resolve(request.DeploymentDirectory));
        var specPath = env.Resolve(request.SpecFile);
        if (!File.Exists(specPath))
        {
            throw new SlipwayException(FailureReason.NotFound, $"spec file {request.SpecFile} does not exist", "write one with 'slipway --stack S deploy init --output spec.yml'");
        }

        DeploymentFile? existing = null;
        if (request.Update)
        {
            if (!File.Exists(layout.DeploymentFile))
            {
                throw new SlipwayException(FailureReason.NotFound, $"--update needs an existing deployment directory, and {layout.Directory} has no deployment.yml");
            }

            var identity = DeploymentIdentity.Read(layout);
            if (identity.AdoptionNote is { } note) env.Reporter.Info(note);
            existing = identity.File;
        }
        else if (Directory.Exists(layout.Directory) || File.Exists(layout.Directory))
        {
            throw new SlipwayException(FailureReason.Conflict, $"{request.DeploymentDirectory} already exists",
                "use --update to re-render it from the spec, or choose another --deployment-dir");
        }

        var specBytes = InputFile.ReadBytes(specPath);
        var diagnostics = new DiagnosticBag();
        var spec = SpecParser.Parse(InputText.DecodeOrThrow(specBytes, specPath), specPath, diagnostics);
        diagnostics.ThrowIfErrors();
        var helmChart = request.HelmChart || (existing is not null && Directory.Exists(Path.Combine(layout.Directory, HelmChart.Folder)));
        if (helmChart && !spec.DeployTo.IsKubernetes())
        {
            throw new SlipwayException(FailureReason.InvalidInput, $"--helm-chart needs a Kubernetes deployment, and {request.SpecFile} deploys to {spec.DeployTo.ToName()}",
                "set 'deploy-to: k8s' (or k8s-kind) in the spec, or drop --helm-chart");
        }

        var stackDirectory = ResolveStack(request, spec);
        var stack = Stack.Load(stackDirectory, _files, diagnostics, fallbackRoots: env.LaconicDataRoots);
        var envEntries = ReadEnvFiles(spec, diagnostics);
        var bundle = StackBundle.Load(stack, env.RepositoryBase, DeploymentRenderer.ConfigLookup(spec, envEntries), diagnostics);
        var pythonModules = PythonHookRunner.StackModules(stack, env.DevRoot);
        if (!spec.DeployTo.IsKubernetes())
        {
            foreach (var module in PythonHooks.Select("start", pythonModules))
            {
                env.Reporter.Warn($"{module.Path}:{PythonHooks.Line(module.Text, "start")}: start() runs only on Kubernetes targets (as in laconic-so); this {spec.DeployTo.ToName()} deployment does not run it (the spec's hooks.post-deploy runs on every target)");
            }
        }

        var previous = existing is not null && File.Exists(layout.ConfigEnv)
            ? DotEnvFile.Read(InputFile.ReadBytes(layout.ConfigEnv), layout.ConfigEnv, diagnostics).GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Last().Value)
            : new Dictionary<string, string>();
        var (configHashKey, keyIsNew) = await ConfigHashKeyAsync(layout, existing is not null, cancellationToken);
        var now = env.Clock.GetUtcNow();
        var deployment = existing ?? new DeploymentFile(DeploymentIds.New(now), DeploymentIds.New(now), stack.Directory, specPath);
        if (existing is null)
        {
            var (clusterId, warning) = await env.Backends.For(spec.DeployTo).ChooseClusterIdAsync(spec, deployment.ClusterId, env.CurrentDirectory, env.Runner, cancellationToken);
            deployment = deployment with { ClusterId = clusterId };
            if (warning is not null) env.Reporter.Warn(warning);
        }

        var rendered = DeploymentRenderer.Render(new RenderInputs
        {
            Spec = spec,
            SpecBytes = specBytes,
            Bundle = bundle,
            StackBytes = await File.ReadAllBytesAsync(stack.Definition.FilePath, cancellationToken),
            DeploymentDirectory = layout.Directory,
            EnvFileEntries = envEntries,
            PreviousConfig = previous,
            Random = env.SecretBytes,
            DeploymentId = deployment.DeploymentId,
            KubeConfig = await ReadKubeConfigAsync(spec, cancellationToken),
            HostFiles = _files,
            ConfigHashKey = configHashKey,
            HelmChart = helmChart,
        });
        // D/hooks: laconic-so's copies of the modules, from which each start on Kubernetes loads start().
        var copies = PythonHooks.CopyNames(pythonModules.Count).Zip(pythonModules,
            (name, module) => new RenderedFile($"{PythonHooks.DeploymentFolder}/{name}", File.ReadAllBytes(module.Path)));
        rendered = rendered with { Files = [.. rendered.Files, .. copies] };
        var services = bundle.Pods.SelectMany(p => p.Compose.Services.Select(svc =>
                (svc.Name, File: DeploymentLayout.PodComposePath(p.Name), Image: spec.ImageOverrides.TryGetValue(svc.Name, out var o) ? o.Value : svc.Image)))
            .Where(svc => svc.Image is { Length: > 0 })
            .Select(svc => new ServiceImage(svc.Name, svc.File, svc.Image!))
            .ToList();
        return new CreatePlan(layout, stack, spec, deployment, existing is not null, rendered, diagnostics.Sorted().Concat(rendered.Warnings).ToList())
        {
            PodServices = services,
            ConfigHashKey = configHashKey,
            ConfigHashKeyIsNew = keyIsNew,
            Request = request,
            PythonModules = pythonModules,
        };
    }

    /// <summary>Writes a render: a fresh D (all or nothing) or an update with .bak copies; then the stack's create hook.</summary>
    public async Task<CreateResult> WriteAsync(CreatePlan plan, CancellationToken cancellationToken)
    {
        var layout = plan.Layout;
        UpdateReport? report = null;
        if (!plan.Update)
        {
            DeploymentWriter.WriteNew(layout.Directory, plan.Rendered, plan.Deployment, plan.ConfigHashKey);
        }
        else
        {
            // Stored before the manifests that carry hashes made with it.
            if (plan.ConfigHashKeyIsNew) DeploymentWriter.WriteConfigHashKey(layout.Directory, plan.ConfigHashKey);
            DeploymentWriter.SetAsideChangedChart(layout.Directory, plan.Rendered);
            report = DeploymentWriter.WriteUpdate(layout.Directory, plan.Rendered);
            DeploymentWriter.RemoveStaleHookCopies(layout.Directory, plan.Rendered);
        }

        string? hookOutput;
        try
        {
            hookOutput = await RunCreateHookAsync(plan, cancellationToken);
        }
        catch when (!plan.Update)
        {
            // A failed first create leaves nothing behind; an update keeps what it wrote (with its .bak files).
            Directory.Delete(layout.Directory, recursive: true);
            throw;
        }

        return new CreateResult(plan.Deployment, plan.Rendered, report, plan.Warnings, hookOutput);
    }

    private string ResolveStack(CreateRequest request, Spec spec)
    {
        var fromSpec = spec.Stack is null ? null : StackResolver.Resolve(spec.Stack.Value, spec.Directory, env.ShippedStackRoots, _files);
        if (request.StackArgument is null)
        {
            return fromSpec!;
        }

        var fromArgument = StackResolver.Resolve(request.StackArgument, env.CurrentDirectory, env.ShippedStackRoots, _files);
        if (fromSpec is not null && fromSpec != fromArgument)
        {
            throw new SlipwayException(FailureReason.InvalidInput,
                $"--stack {request.StackArgument} ({fromArgument}) is not the stack the spec names ({spec.Stack!.Location}: {fromSpec})",
                "drop --stack: the spec's stack is the one deployed");
        }

        return fromArgument;
    }

    /// <summary>
    /// The deployment's key for the pod templates' config hash: D's on an update, else 32 new random bytes (a directory
    /// made before the key existed gets one now). True when the key is new and must be stored.
    /// </summary>
    private async Task<(byte[] Key, bool IsNew)> ConfigHashKeyAsync(DeploymentLayout layout, bool update, CancellationToken cancellationToken)
    {
        if (update && File.Exists(layout.ConfigHashKey))
        {
            var key = await File.ReadAllBytesAsync(layout.ConfigHashKey, cancellationToken);
            if (key.Length < KubernetesRenderer.MinimumConfigHashKeyLength)
            {
                throw new SlipwayException(FailureReason.InvalidInput, $"{layout.ConfigHashKey} is damaged: it holds {key.Length} bytes, a config hash key at least {KubernetesRenderer.MinimumConfigHashKeyLength}",
                    "delete it; the next deploy create --update makes a new one (every pod then rolls once)");
            }

            return (key, false);
        }

        return ((env.SecretBytes ?? RandomNumberGenerator.GetBytes)(ConfigHashKeyLength), true);
    }

    /// <summary>deploy-to k8s: the kube-config file (resolved against the spec's folder), copied into D as kubeconfig.yml.</summary>
    private static async Task<byte[]?> ReadKubeConfigAsync(Spec spec, CancellationToken cancellationToken)
    {
        if (spec.DeployTo != DeployTarget.K8s || spec.KubeConfig is null) return null;
        var path = Path.GetFullPath(Path.Combine(spec.Directory, StackResolver.ExpandHome(spec.KubeConfig.Value)));
        if (!File.Exists(path))
        {
            throw InvalidInputException.Of(DiagnosticCodes.NotFound, $"kube-config {path} does not exist", spec.KubeConfig.Location, "point kube-config at the cluster's kubeconfig file");
        }

        return await File.ReadAllBytesAsync(path, cancellationToken);
    }

    private static List<KeyValuePair<string, string>> ReadEnvFiles(Spec spec, DiagnosticBag diagnostics)
    {
        var entries = new List<KeyValuePair<string, string>>();
        foreach (var file in spec.CredentialsFiles.Concat(spec.EnvFiles))
        {
            var path = Path.GetFullPath(Path.Combine(spec.Directory, StackResolver.ExpandHome(file.Value)));
            if (!File.Exists(path))
            {
                diagnostics.Error(DiagnosticCodes.NotFound, $"env file {path} does not exist", file.Location, "env-files are host-local: create it on this machine (it must not be in git)");
                continue;
            }

            entries.AddRange(DeployInit.ReadDotEnv(path, diagnostics));
        }

        diagnostics.ThrowIfErrors();
        return entries;
    }

    private async Task<string?> RunCreateHookAsync(CreatePlan plan, CancellationToken cancellationToken)
    {
        var (stack, layout, deployment, spec, rendered) = (plan.Stack, plan.Layout, plan.Deployment, plan.Spec, plan.Rendered);
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (plan.Request?.NetworkDirectory is { } network) variables["SLIPWAY_NETWORK_DIR"] = env.Resolve(network);
        if (plan.Request?.InitialPeers is { } peers) variables["SLIPWAY_INITIAL_PEERS"] = peers;
        var native = HookRunner.Find(stack, "create");
        if (native is null && PythonHooks.Select("create", plan.PythonModules).Count == 0)
        {
            if (variables.Count > 0 || plan.Request?.HookArguments.Count > 0)
            {
                env.Reporter.Warn($"stack {stack.Name} has no create hook (hooks/create, or create() in {PythonHooks.RelativePath}): --network-dir, --initial-peers and extra arguments are not used");
            }

            return null;
        }
        using var log = FileCommandLog.ForCommand(layout.Logs, "create", env.Clock);
        var runner = new LoggingProcessRunner(env.Runner, log);
        var result = native is null ? null : await new HookRunner(runner).RunAsync(stack, "create", new HookContext("create")
        {
            DeploymentDirectory = layout.Directory,
            DeploymentId = deployment.DeploymentId,
            SpecFile = spec.FilePath,
            DeployTo = spec.DeployTo.ToName(),
            Secrets = rendered.Secrets,
            Variables = variables,
            Arguments = plan.Request?.HookArguments ?? [],
        }, cancellationToken);

        // laconic-so's create(deployment_context, [network_dir, initial_peers, *extra]) of each module, in the current directory as laconic-so runs it.
        var extra = PythonHookCall.CreateArguments(variables.GetValueOrDefault("SLIPWAY_NETWORK_DIR"), plan.Request?.InitialPeers, plan.Request?.HookArguments ?? []);
        var python = await new PythonHookRunner(runner, env.Tools.Python, env.Reporter, env.Flags.DryRun).RunAsync("create", plan.PythonModules,
            native is null ? null : "hooks/create",
            file => PythonHookCalls.ForDeployment("create", (stack.Directory, stack.Name, stack.ConfigRoot), plan.PythonModules, deployment, layout.Directory, env.Flags,
                PythonHookCalls.DeploymentCompose(DeploymentSession.Open(layout.Directory), env.Tools.With(runner)), file) with { ExtraArguments = extra },
            new HookRun(env.CurrentDirectory) { Secrets = rendered.Secrets }, cancellationToken);
        var output = (result?.StandardOutput ?? "") + (python?.Output ?? "");
        return native is null && python is null ? null : output;
    }

    /// <summary>What <see cref="WriteAsync"/> would run after writing <paramref name="plan"/> (for --dry-run, which writes and runs nothing).</summary>
    public static IReadOnlyList<string> HooksThatWouldRun(CreatePlan plan, string python)
    {
        if (HookRunner.Find(plan.Stack, "create") is { } native) return [native];
        return [.. PythonHooks.Select("create", plan.PythonModules).Select(m => $"create() of {m.Path} with {python}")];
    }
}
