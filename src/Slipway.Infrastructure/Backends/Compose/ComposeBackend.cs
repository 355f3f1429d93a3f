using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Hooks;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Files;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Backends.Compose;

/// <summary>
/// Runs a deployment with Docker Compose v2. The project name is the deployment-id (never a folder name, so a
/// rename cannot orphan volumes; a directory taken over from laconic-so keeps its cluster-id name); files are D's pod files plus D/overrides/; config.env feeds interpolation.
/// </summary>
internal sealed class ComposeBackend : IDeploymentBackend, IVolumeStorageBackend, IContainerAddresses, IContainerStartTimes, IInterruptedApplyRepair
{
    private readonly DeploymentSession _session;
    private readonly bool _scriptDebug;

    /// <param name="scriptDebug">The global --debug: compose calls and pod scripts get CERC_SCRIPT_DEBUG=true, as laconic-so exports it.</param>
    public ComposeBackend(DeploymentSession session, Docker docker, bool scriptDebug = false)
    {
        _session = session;
        _scriptDebug = scriptDebug;
        var bound = docker.Bound(session.Layout.Directory, ChildEnvironment(session, scriptDebug), session.SecretValues);
        Compose = new DockerCompose(bound, new ComposeProject(
            session.ComposeProject,
            File.Exists(session.Layout.ConfigEnv) ? session.Layout.ConfigEnv : null,
            [.. session.PodComposeFiles, .. session.OverrideFiles]));
    }

    public DockerCompose Compose { get; }

    public string ProjectName => Compose.Project.Name;

    private string ProjectLabel => $"com.docker.compose.project={ProjectName}";

    /// <summary>Where the image pins of the last apply are written, as one more compose file (the plan sends its own on stdin).</summary>
    public string ImagePinsFile => Path.Combine(_session.Layout.State, "compose-images.yml");

    public IReadOnlyDictionary<string, string> ServiceImages => _session.ServiceImages;

    /// <summary>Compose files name the stack's image itself.</summary>
    /// <summary>Pulls (compose) and --with-registry-auth (swarm) use the docker CLI's login.</summary>
    public bool PullsWithDockerLogin => true;

    public IReadOnlyList<string> PinKeys(string stackImage) => [stackImage];

    /// <summary>How each service is replaced (rollout.strategy, with the services that cannot start first left stop-first).</summary>
    public RolloutPlan Rollout => RolloutPlan.For([.. _session.PodFiles.Concat(_session.Overrides).SelectMany(f => f.Services)], _session.Spec.Rollout);

    /// <summary>
    /// The start-first services are rolled first, each new container beside its old one (<see cref="StartFirstRollout"/>);
    /// then one <c>compose up</c> brings everything else to D (stop-first: compose's own recreate), finding the rolled
    /// services already at their configuration.
    /// </summary>
    public async Task ApplyAsync(ApplyOptions options, CancellationToken cancellationToken)
    {
        // The dict pods' pre and post start scripts (copied into D/pods/ by deploy create) frame the containers' apply.
        await RunPodScriptsAsync(post: false, options.Progress, cancellationToken);
        await ApplyContainersAsync(options, cancellationToken);
        await RunPodScriptsAsync(post: true, options.Progress, cancellationToken);
        var directives = _session.Stack.Config.Where(d => options.Services.Count == 0 || (options.Services.Contains(d.Source) && options.Services.Contains(d.Destination))).ToList();
        await ConfigDirectives.RunAsync(Compose, directives, options.Progress, TimeProvider.System, Task.Delay, cancellationToken);
    }

    private async Task RunPodScriptsAsync(bool post, Action<string>? progress, CancellationToken cancellationToken)
    {
        foreach (var pod in _session.Stack.Pods)
        {
            if (PodScripts.Command(pod, post) is not { } command) continue;
            var script = Path.Combine(_session.Layout.Directory, PodScripts.RenderedPath(pod.Name, command));
            await PodScriptRunner.RunAsync(Compose.Docker.Runner, pod.Name, script, post, ProjectName, progress, cancellationToken, debug: _scriptDebug);
        }
    }

    private async Task ApplyContainersAsync(ApplyOptions options, CancellationToken cancellationToken)
    {
        var up = Up(options);
        if (ComposePins.Override(_session, options.ImagePins) is { } pins)
        {
            AtomicFile.WriteText(ImagePinsFile, pins);
            up = up with { ExtraFiles = [ImagePinsFile] };
        }

        var scope = options.Services.Count > 0 ? options.Services : _session.PodServices;
        var startFirst = scope.Where(Rollout.StartFirst.Contains).ToList();
        var rolled = await new StartFirstRollout(Compose, this, TimeProvider.System).RunAsync([.. Compose.Project.Files, .. up.ExtraFiles], startFirst, options, cancellationToken);

        // --force-recreate would recreate the rolled services stop-first: the rest are named instead, each on its own.
        if (rolled.Count > 0 && up.ForceRecreate) up = up with { Services = [.. scope.Except(rolled, StringComparer.Ordinal)], NoDeps = true };
        if (up.Services.Count == 0 && rolled.Count > 0 && up.ForceRecreate) return;
        await Compose.UpAsync(up, options.Progress, cancellationToken);
    }

    /// <summary>
    /// What <c>up</c> would do, from compose's own <c>--dry-run</c> (so it sees exactly what a real apply would
    /// compare: config hashes, images, orphans). The pins go on stdin: a plan writes nothing.
    /// </summary>
    public async Task<IReadOnlyList<PlannedChange>> PlanAsync(ApplyOptions options, CancellationToken cancellationToken)
    {
        var output = await Compose.UpDryRunAsync(Up(options) with { Wait = false, StandardInputFile = ComposePins.Override(_session, options.ImagePins) }, cancellationToken);
        return ComposeDryRun.Parse(output, ProjectName);
    }

    private static ComposeUp Up(ApplyOptions options) => new()
    {
        Wait = options.Wait,
        WaitTimeout = options.WaitTimeout,
        ForceRecreate = options.ForceRecreate,
        Services = options.Services,
    };

    public async Task<StopOutcome> StopAsync(StopOptions options, CancellationToken cancellationToken)
    {
        // Asked of the engine rather than the compose files, which do not know volumes of pods the stack has since
        // dropped; and listed before anything is deleted, so that what goes can be said.
        var live = options.DeleteVolumes ? await LiveVolumesAsync(cancellationToken) : [];
        await Compose.DownAsync(options.DeleteVolumes, cancellationToken, options.TimeoutSeconds);

        // A host path D declares is kept data only where the live volume binds it: a volume still in Docker's own
        // storage (the spec changed it since) loses its data with the volume, and is not named as kept.
        var inDocker = live.Where(v => v.Device is null).Select(v => v.Volume).ToHashSet(StringComparer.Ordinal);
        var misplaced = _session.MisplacedBinds.ToDictionary(m => m.Volume, m => m.Expected, StringComparer.Ordinal);
        var kept = _session.DeclaredVolumeStorage
            .Where(v => v.Value is not null && !inDocker.Contains(v.Key))
            .Select(v => misplaced.TryGetValue(v.Key, out var here) ? here : v.Value!)
            .Distinct().ToList();
        return new StopOutcome([.. live.Select(v => v.EngineName).Order(StringComparer.Ordinal)], kept, "Docker volumes", "volumes kept; 'stop --delete-volumes' removes the Docker volumes");
    }

    /// <summary>Asked of the engine by the project label: also volumes of pods the stack has since dropped.</summary>
    public Task<IReadOnlyList<LiveVolume>> LiveVolumesAsync(CancellationToken cancellationToken) => Compose.Docker.LiveVolumesAsync(ProjectLabel, cancellationToken);

    /// <summary>A D without named volumes asks the engine nothing (a start's overhead over raw compose counts).</summary>
    public async Task<IReadOnlyList<VolumeStorageMismatch>> VolumeStorageMismatchesAsync(CancellationToken cancellationToken) =>
        _session.DeclaredVolumeStorage is { Count: > 0 } declared ? VolumeStorage.Compare(declared, await LiveVolumesAsync(cancellationToken)) : [];

    /// <summary>
    /// One <c>docker ps</c> filtered by the project label: the same containers <c>compose ps</c> lists, at a quarter of
    /// the cost (it runs after every start, so it counts against start's overhead over raw compose). A service D
    /// expects without a container is listed as missing, and failed: <c>up</c> creates every container before it returns.
    /// </summary>
    public async Task<IReadOnlyList<ServiceState>> StatusAsync(CancellationToken cancellationToken) =>
        ServiceState.WithMissing(DockerPs.Parse(await Compose.Docker.ListContainersAsync(ProjectLabel, cancellationToken)), _session.ExpectedServices,
            ServiceCondition.Failed);

    /// <summary>Compose has no rollout beyond its containers: <c>up</c> returns once they are created and started.</summary>
    public async Task<HealthSnapshot> HealthAsync(CancellationToken cancellationToken) => HealthSnapshot.Of(await StatusAsync(cancellationToken));

    /// <summary>One <c>docker inspect</c> of them all (it prints the ones it finds, also when another is gone).</summary>
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> StartedAtAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0) return new Dictionary<string, DateTimeOffset>();
        var result = await Compose.Docker.RunAsync(["inspect", "--type", "container", "--format", "{{.Id}} {{.State.StartedAt}}", .. ids], cancellationToken,
            TimeSpan.FromSeconds(30));
        return DockerPs.ParseStartedAt(result.StandardOutput, ids);
    }

    /// <summary>A recreate a killed compose left half-done (<see cref="InterruptedRecreate"/>).</summary>
    public Task<IReadOnlyList<string>> RepairInterruptedApplyAsync(CancellationToken cancellationToken) =>
        InterruptedRecreate.RepairAsync(Compose.Docker, ProjectName, cancellationToken);

    public async Task<IReadOnlyList<string>> ContainerAddressesAsync(string service, CancellationToken cancellationToken)
    {
        var addresses = new List<string>();
        foreach (var container in (await StatusAsync(cancellationToken)).Where(s => s.Service == service && s.State == "running" && s.Id.Length > 0))
        {
            var inspect = await Compose.Docker.InspectAsync("{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}", container.Id, cancellationToken);
            if (inspect.Succeeded) addresses.AddRange(inspect.StandardOutput.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        return addresses;
    }

    public Task<string> DiagnoseAsync(int tailLines, CancellationToken cancellationToken) =>
        new ComposeDiagnosis(Compose.Docker, ProjectName).DescribeAsync(() => StatusAsync(cancellationToken), tailLines, cancellationToken);

    /// <summary>Compose runs the engine's local images: nothing to load.</summary>
    public Task LoadImagesAsync(IReadOnlyList<string> images, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<int> LogsAsync(LogsOptions options, CancellationToken cancellationToken) =>
        Compose.LogsAsync(options, cancellationToken);

    public async Task<string> PortAsync(string service, string port, CancellationToken cancellationToken)
    {
        var result = await Compose.PortAsync(service, port, cancellationToken);
        var answer = result.StandardOutput.Trim();
        if (!result.Succeeded || answer.Length == 0 || answer.EndsWith(":0", StringComparison.Ordinal))
        {
            throw new SlipwayException(FailureReason.NotFound,
                $"service '{service}' has no published port {port}{(result.Succeeded ? "" : ": " + result.Tail(3))}",
                "check 'deployment ps'; the port must be listed under the service's ports (or network.ports in the spec)");
        }

        return answer.Split('\n')[0];
    }

    public Task<int> ExecAsync(string service, IReadOnlyList<string> command, bool interactive, CancellationToken cancellationToken) =>
        Compose.ExecAsync(service, command, interactive, cancellationToken);

    public Task<int> RunJobAsync(string job, CancellationToken cancellationToken)
    {
        if (!_session.Stack.Jobs.Contains(job))
        {
            throw new SlipwayException(FailureReason.NotFound, $"the stack has no job '{job}'",
                _session.Stack.Jobs.Count == 0 ? "the stack defines no jobs" : "jobs: " + string.Join(", ", _session.Stack.Jobs));
        }

        // The pod files come first so the job joins the project's network and can reach its services by name.
        return Compose.RunOnceAsync(_session.Layout.JobComposeFile(job), job, cancellationToken);
    }

    /// <summary>
    /// Compose lets the caller's shell environment override --env-file values during interpolation; unsetting the
    /// config keys makes D/config.env the one source, whoever runs the command.
    /// </summary>
    private static Dictionary<string, string?> ChildEnvironment(DeploymentSession session, bool scriptDebug)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["COMPOSE_PROJECT_NAME"] = null,
            ["COMPOSE_FILE"] = null,
            ["COMPOSE_PROFILES"] = null,
            ["COMPOSE_ENV_FILES"] = null,
            ["COMPOSE_STATUS_STDOUT"] = null,
        };
        // laconic-so exports these before every up, so compose files substitute ${CERC_HOST_UID}; D's config wins over them.
        foreach (var (key, value) in Processes.HostUser.ComposeVariables(scriptDebug)) environment[key] = value;
        foreach (var entry in session.Config) environment[entry.Key] = null;
        return environment;
    }
}
