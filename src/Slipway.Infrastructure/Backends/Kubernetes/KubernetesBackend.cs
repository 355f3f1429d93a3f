using Slipway.Core.Rendering.Kubernetes;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Backends.Kubernetes;

/// <summary>
/// Runs a deployment on Kubernetes by driving kubectl (and kind for k8s-kind) over the manifests deploy create rendered
/// into D/k8s. Each verb lives in its own part (apply, plan, stop, jobs, access); this class is the contract.
/// </summary>
internal sealed class KubernetesBackend(DeploymentSession session, ToolBox tools, KubernetesBackendOptions options) : IDeploymentBackend, IHelmJobRunner, IPreparableBackend, IPrepareCheckingBackend, IHostNameProbingBackend
{
    private readonly KubernetesTarget _target = new(session, tools, options);
    private KubernetesHealth? _health;

    /// <summary>The deployment's kubectl (its kubeconfig or kind context).</summary>
    public Kubectl Kubectl => _target.Kubectl;

    /// <summary>container → image as the manifests name them (the registry-rewritten name where image-registry is set).</summary>
    public IReadOnlyDictionary<string, string> ServiceImages =>
        File.Exists(_target.ManifestsFile)
            ? _target.LoadManifests().Where(o => o.Kind == "Deployment").SelectMany(o => o.Containers())
                .Select(c => (Name: c.Scalar("name"), Image: c.Scalar("image")))
                .Where(c => c.Name is not null && c.Image is { Length: > 0 })
                .GroupBy(c => c.Name!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Image!, StringComparer.Ordinal)
            : new Dictionary<string, string>();

    /// <summary>The stack image, and the name the renderer wrote for it when image-registry rewrites local images.</summary>
    public IReadOnlyList<string> PinKeys(string stackImage) =>
        [.. new[] { stackImage, KubernetesRenderer.ResolveImage(stackImage, session.Spec, overridden: false) }.Distinct()];

    /// <summary>
    /// The dict pods' pre/post start scripts (copied into D/pods/ by deploy create) run on this host around the apply,
    /// as on compose, told which cluster to talk to (<see cref="PodScriptEnvironment"/>); a non-zero exit is fatal.
    /// Then the stack's config: directives, exec'd into ready pods: with any, the apply waits for its rollouts first.
    /// </summary>
    public async Task ApplyAsync(ApplyOptions options, CancellationToken cancellationToken)
    {
        var directives = session.Stack.Config;
        await RunPodScriptsAsync(post: false, options.Progress, cancellationToken);
        await new KubernetesApply(_target).ApplyAsync(directives.Count > 0 ? options with { Wait = true } : options, cancellationToken);
        await RunPodScriptsAsync(post: true, options.Progress, cancellationToken);
        if (directives.Count == 0) return;
        var target = new Hooks.DirectiveTarget(new KubernetesAccess(_target).RunInServiceAsync,
            service => $"see 'slipway deployment --dir {session.Layout.Directory} logs {service}'");
        await Hooks.ConfigDirectives.RunAsync(target, directives, options.Progress, _target.Options.Clock, _target.Options.Delay, cancellationToken);
    }

    /// <summary>
    /// What a pod script gets besides CERC_SO_COMPOSE_PROJECT (the deployment-id): KUBECONFIG (D's kubeconfig on k8s),
    /// SLIPWAY_KUBECTL_ARGS (the connection arguments Slipway's own kubectl calls carry: <c>--kubeconfig F</c> or
    /// <c>--context kind-NAME</c>, so a script's kubectl cannot land on the default context) and SLIPWAY_NAMESPACE.
    /// </summary>
    internal IReadOnlyDictionary<string, string?> PodScriptEnvironment()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["SLIPWAY_KUBECTL_ARGS"] = string.Join(' ', _target.Kubectl.Connection),
            ["SLIPWAY_NAMESPACE"] = _target.Namespace,
        };
        if (_target.Cluster is null) environment["KUBECONFIG"] = _target.KubeconfigFile;
        return environment;
    }

    private async Task RunPodScriptsAsync(bool post, Action<string>? progress, CancellationToken cancellationToken)
    {
        foreach (var pod in session.Stack.Pods)
        {
            if (Core.Stacks.PodScripts.Command(pod, post) is not { } command) continue;
            var script = Path.Combine(session.Layout.Directory, Core.Stacks.PodScripts.RenderedPath(pod.Name, command));
            await Hooks.PodScriptRunner.RunAsync(tools.Docker.Runner, pod.Name, script, post, _target.DeploymentId, progress, cancellationToken, PodScriptEnvironment(), options.ScriptDebug);
        }
    }

    public Task<IReadOnlyList<string>> PrepareAsync(bool performClusterManagement, Action<string>? progress, CancellationToken cancellationToken) =>
        new KubernetesApply(_target).PrepareAsync(performClusterManagement, progress, cancellationToken);

    public Task ProbeHostNameAsync(string host, string? previous, Action<string>? progress, CancellationToken cancellationToken) =>
        new HostNameProbe(_target).ProbeAsync(host, previous, progress, cancellationToken);

    public Task<IReadOnlyList<string>> PrepareWarningsAsync(CancellationToken cancellationToken) => new KubernetesApply(_target).MissingSecretsAsync(cancellationToken);

    public Task<IReadOnlyList<PlannedChange>> PlanAsync(ApplyOptions options, CancellationToken cancellationToken) => new KubernetesPlan(_target).PlanAsync(options, cancellationToken);

    public Task<StopOutcome> StopAsync(StopOptions options, CancellationToken cancellationToken) => new KubernetesStop(_target).StopAsync(options, cancellationToken);

    public async Task<IReadOnlyList<ServiceState>> StatusAsync(CancellationToken cancellationToken)
    {
        var ns = _target.Namespace;
        var result = await _target.Kubectl.RequireAsync("get pods", ["get", "pods", "-n", ns, "-l", _target.Selector, "-o", "json"], cancellationToken);
        return PodStatus.ParsePods(result.StandardOutput);
    }

    /// <summary>The pods, the Deployments still rolling out and the claims still pending: an apply that did not wait leaves that to here.</summary>
    public Task<HealthSnapshot> HealthAsync(CancellationToken cancellationToken) => (_health ??= new KubernetesHealth(_target)).SnapshotAsync(cancellationToken);

    public Task<string> DiagnoseAsync(int tailLines, CancellationToken cancellationToken) => new KubernetesAccess(_target).DiagnoseAsync(tailLines, cancellationToken);

    /// <summary>kind: loads the locally built images into the cluster. k8s: the cluster pulls from the registry, nothing to do.</summary>
    public Task LoadImagesAsync(IReadOnlyList<string> images, CancellationToken cancellationToken) =>
        _target.Cluster is null ? Task.CompletedTask : _target.Cluster.LoadImagesAsync(images, cancellationToken);

    public Task<int> LogsAsync(LogsOptions options, CancellationToken cancellationToken) => new KubernetesAccess(_target).LogsAsync(options, cancellationToken);

    public Task<string> PortAsync(string service, string port, CancellationToken cancellationToken) => new KubernetesAccess(_target).PortAsync(service, port, cancellationToken);

    public Task<int> ExecAsync(string service, IReadOnlyList<string> command, bool interactive, CancellationToken cancellationToken) =>
        new KubernetesAccess(_target).ExecAsync(service, command, interactive, cancellationToken);

    public Task<int> RunJobAsync(string job, CancellationToken cancellationToken) => new KubernetesJobs(_target).RunAsync(job, null, cancellationToken);

    /// <summary>The Job rendered by helm from D/chart as release <paramref name="release"/>, then run as any job.</summary>
    public async Task<int> RunHelmJobAsync(string job, string release, CancellationToken cancellationToken)
    {
        var chart = Path.Combine(session.Layout.Directory, HelmChart.Folder);
        var setJson = "jobs=" + System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, Dictionary<string, bool>> { [job] = new() { ["enabled"] = true } });
        var yaml = await tools.Helm.TemplateAsync(release, chart, HelmChart.JobTemplate(job), setJson, cancellationToken);
        return await new KubernetesJobs(_target).RunAsync(job, KubernetesManifests.Parse(yaml, $"helm template {release} {chart} --show-only {HelmChart.JobTemplate(job)}"), cancellationToken);
    }
}
