namespace Slipway.Infrastructure.Backends;

/// <summary>One container (compose) or pod (Kubernetes) of a deployment, as status and ps report it.</summary>
public sealed record ServiceState(string Service, string Name, string Id, string State, string? Health, IReadOnlyList<PublishedPort> Ports)
{
    public bool IsRunning => State == "running";
}

public sealed record PublishedPort(string HostIp, int HostPort, int TargetPort, string Protocol)
{
    public override string ToString() => HostPort > 0 ? $"{HostIp}:{HostPort}->{TargetPort}/{Protocol}" : $"{TargetPort}/{Protocol}";
}

public sealed record StopOutcome(IReadOnlyList<string> RemovedVolumes, IReadOnlyList<string> KeptHostPaths);

/// <summary>One thing start/restart would change: Action is create, update, recreate, delete or unchanged.</summary>
public sealed record PlannedChange(string Kind, string Name, string Action, string? Detail = null);

/// <summary>Options of stop; the cluster and namespace flags only mean something on Kubernetes.</summary>
public sealed record StopOptions
{
    public bool DeleteVolumes { get; init; }

    public bool DeleteNamespace { get; init; }

    /// <summary>k8s-kind: also delete the kind cluster (never done unless asked).</summary>
    public bool PerformClusterManagement { get; init; }

    public Action<string>? Progress { get; init; }
}

/// <summary>
/// A place deployments run: one Docker host through compose, or a Kubernetes cluster. Every backend takes a
/// rendered deployment directory and drives the operator's own tools as child processes.
/// </summary>
public interface IDeploymentBackend
{
    /// <summary>Brings the deployment to what D declares and waits until it is up (health checks included).</summary>
    Task ApplyAsync(ApplyOptions options, CancellationToken cancellationToken);

    /// <summary>Stops and removes the deployment's containers or objects; volumes are kept unless DeleteVolumes.</summary>
    Task<StopOutcome> StopAsync(StopOptions options, CancellationToken cancellationToken);

    /// <summary>What ApplyAsync with these options would change against the live state; changes nothing.</summary>
    Task<IReadOnlyList<PlannedChange>> PlanAsync(ApplyOptions options, CancellationToken cancellationToken);

    /// <summary>
    /// A diagnosis for the run log after a failed verify: state of every container/pod, the last
    /// <paramref name="tailLines"/> log lines of the unhealthy ones, and events where the backend has them.
    /// </summary>
    Task<string> DiagnoseAsync(int tailLines, CancellationToken cancellationToken);

    /// <summary>Makes locally built images available to the backend (kind: kind load); compose needs nothing.</summary>
    Task LoadImagesAsync(IReadOnlyList<string> images, CancellationToken cancellationToken);

    Task<IReadOnlyList<ServiceState>> StatusAsync(CancellationToken cancellationToken);

    /// <summary>Streams logs to the console; returns the tool's exit code.</summary>
    Task<int> LogsAsync(LogsOptions options, CancellationToken cancellationToken);

    /// <summary>The host address a service's container port is published on, as <c>HOST:PORT</c>.</summary>
    Task<string> PortAsync(string service, string port, CancellationToken cancellationToken);

    /// <summary>Runs a command in a running service; returns the command's exit code.</summary>
    Task<int> ExecAsync(string service, IReadOnlyList<string> command, bool interactive, CancellationToken cancellationToken);

    /// <summary>Runs one of the stack's jobs to completion; returns its exit code.</summary>
    Task<int> RunJobAsync(string job, CancellationToken cancellationToken);
}

public sealed record ApplyOptions
{
    /// <summary>Recreate every container even when its configuration did not change.</summary>
    public bool ForceRecreate { get; init; }

    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Wait for health inside the apply (compose up --wait, k8s rollout status). The pipeline turns it off and waits in
    /// its own verify stage, so that apply and verify are separate, resumable stages.
    /// </summary>
    public bool Wait { get; init; } = true;

    public IReadOnlyList<string> Services { get; init; } = [];

    /// <summary>Image references to replace in what is applied (stack image → immutable built/pushed tag).</summary>
    public IReadOnlyDictionary<string, string> ImagePins { get; init; } = new Dictionary<string, string>();

    /// <summary>k8s-kind: create the kind cluster when it does not run yet.</summary>
    public bool PerformClusterManagement { get; init; }

    public Action<string>? Progress { get; init; }
}

public sealed record LogsOptions(bool Follow, int? Tail, IReadOnlyList<string> Services);
