namespace Slipway.Infrastructure.Backends;

/// <summary>Where a container or pod stands on its way to serving, as the backend that runs it judges it.</summary>
public enum ServiceCondition
{
    /// <summary>Created, starting, its health check still starting, not ready yet, or terminating: worth waiting for.</summary>
    Starting,

    /// <summary>Running and healthy (or running without a health check).</summary>
    Ready,

    /// <summary>Gone for good, not merely slow: unhealthy, exited, or a state the engine keeps retrying without hope.</summary>
    Failed,
}

/// <summary>One container (compose) or pod container (Kubernetes) of a deployment, as status and ps report it.</summary>
/// <param name="State">The engine's own word for it (running, exited, waiting: CrashLoopBackOff), for display.</param>
/// <param name="Health">The engine's health word (healthy, unhealthy, starting, ready, not ready), or null without one.</param>
public sealed record ServiceState(string Service, string Name, string Id, string State, string? Health, IReadOnlyList<PublishedPort> Ports)
{
    public ServiceCondition Condition { get; init; } = ServiceCondition.Starting;
}
