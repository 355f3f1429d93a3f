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

/// <summary>
/// A place deployments run: one Docker host through compose, or a Kubernetes cluster. Every backend takes a
/// rendered deployment directory and drives the operator's own tools as child processes.
/// </summary>
public interface IDeploymentBackend
{
    /// <summary>Brings the deployment to what D declares and waits until it is up (health checks included).</summary>
    Task ApplyAsync(ApplyOptions options, CancellationToken cancellationToken);

    /// <summary>Stops and removes the deployment's containers; volumes are kept unless <paramref name="deleteVolumes"/>.</summary>
    Task<StopOutcome> StopAsync(bool deleteVolumes, CancellationToken cancellationToken);

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

    public IReadOnlyList<string> Services { get; init; } = [];

    public Action<string>? Progress { get; init; }
}

public sealed record LogsOptions(bool Follow, int? Tail, IReadOnlyList<string> Services);
