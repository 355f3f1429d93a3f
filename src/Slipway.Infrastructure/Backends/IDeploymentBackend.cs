namespace Slipway.Infrastructure.Backends;

/// <summary>
/// A place deployments run: one Docker host through compose, or a Kubernetes cluster. A backend is made for one
/// opened deployment session and owns everything about its target: how its files name images, how pins reach them,
/// what healthy means, how to apply, plan, stop and inspect. It drives the operator's own tools as child processes.
/// </summary>
public interface IDeploymentBackend
{
    /// <summary>service → image reference as the files this backend applies name it (before any pin).</summary>
    IReadOnlyDictionary<string, string> ServiceImages { get; }

    /// <summary>The keys under which a pin of <paramref name="stackImage"/> (the image the stack's compose files name) must be given.</summary>
    IReadOnlyList<string> PinKeys(string stackImage);

    /// <summary>Brings the deployment to what D declares; waits for health only when <see cref="ApplyOptions.Wait"/>.</summary>
    Task ApplyAsync(ApplyOptions options, CancellationToken cancellationToken);

    /// <summary>What ApplyAsync with these options would change against the live state; writes nothing, changes nothing.</summary>
    Task<IReadOnlyList<PlannedChange>> PlanAsync(ApplyOptions options, CancellationToken cancellationToken);

    /// <summary>Stops and removes the deployment's containers or objects; volumes are kept unless DeleteVolumes.</summary>
    Task<StopOutcome> StopAsync(StopOptions options, CancellationToken cancellationToken);

    Task<IReadOnlyList<ServiceState>> StatusAsync(CancellationToken cancellationToken);

    /// <summary>The services and the engine's unfinished rollouts, for verify's wait.</summary>
    Task<HealthSnapshot> HealthAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A diagnosis for the run log after a failed verify: state of every container/pod, the last
    /// <paramref name="tailLines"/> log lines of the troubled ones, and events where the backend has them.
    /// </summary>
    Task<string> DiagnoseAsync(int tailLines, CancellationToken cancellationToken);

    /// <summary>Makes locally built images available to the backend (kind: kind load); compose needs nothing.</summary>
    Task LoadImagesAsync(IReadOnlyList<string> images, CancellationToken cancellationToken);

    /// <summary>Streams logs to the console; returns the tool's exit code.</summary>
    Task<int> LogsAsync(LogsOptions options, CancellationToken cancellationToken);

    /// <summary>The host address a service's container port is published on, as <c>HOST:PORT</c>.</summary>
    Task<string> PortAsync(string service, string port, CancellationToken cancellationToken);

    /// <summary>Runs a command in a running service; returns the command's exit code.</summary>
    Task<int> ExecAsync(string service, IReadOnlyList<string> command, bool interactive, CancellationToken cancellationToken);

    /// <summary>
    /// After record, once a verify passed: drops what only revisions no longer kept used (Swarm: config versions),
    /// never what <paramref name="keptRevisionFiles"/> (each kept revision's copy of D) still names. Returns a note or null.
    /// </summary>
    Task<string?> RecordedAsync(IReadOnlyList<string> keptRevisionFiles, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    /// <summary>
    /// Apply pulls images through the docker CLI's own login (compose pulls; swarm's --with-registry-auth sends it to
    /// the nodes): the run logs in with the spec's registry-credentials before it, not only before a push.
    /// </summary>
    bool PullsWithDockerLogin => false;

    /// <summary>A shorter health poll than the host's when this backend's poll is cheap (null: the host's).</summary>
    TimeSpan? HealthPollInterval => null;

    /// <summary>Runs one of the stack's jobs to completion; returns its exit code.</summary>
    Task<int> RunJobAsync(string job, CancellationToken cancellationToken);
}
