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

    /// <summary>The state word of a service D expects that has no container or pod at all.</summary>
    public const string MissingState = "missing";

    /// <summary>
    /// <paramref name="states"/> plus one row per service of <paramref name="expected"/> that has none, in
    /// <paramref name="condition"/>. A deployment with nothing at all is stopped, not broken: it gets no rows.
    /// </summary>
    public static IReadOnlyList<ServiceState> WithMissing(IReadOnlyList<ServiceState> states, IReadOnlyList<string> expected, ServiceCondition condition)
    {
        if (states.Count == 0) return states;
        var present = states.Select(s => s.Service).ToHashSet(StringComparer.Ordinal);
        var missing = expected.Where(s => !present.Contains(s)).Select(s => new ServiceState(s, "", "", MissingState, null, []) { Condition = condition }).ToList();
        return missing.Count == 0 ? states : [.. states.Concat(missing).OrderBy(s => s.Service, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal)];
    }
}
