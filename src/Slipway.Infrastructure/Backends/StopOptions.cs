namespace Slipway.Infrastructure.Backends;

/// <summary>Options of stop; the cluster and namespace flags only mean something on Kubernetes.</summary>
public sealed record StopOptions
{
    public bool DeleteVolumes { get; init; }

    public bool DeleteNamespace { get; init; }

    /// <summary>k8s-kind: also delete the kind cluster (never done unless asked).</summary>
    public bool PerformClusterManagement { get; init; }

    /// <summary>compose: seconds each container gets to stop (<c>stop [timeout]</c>); null: compose's default.</summary>
    public int? TimeoutSeconds { get; init; }

    public Action<string>? Progress { get; init; }
}
