namespace Slipway.Infrastructure.Backends;

/// <summary>A backend with infrastructure to make before any pod runs (deployment prepare): Kubernetes.</summary>
public interface IPreparableBackend
{
    /// <summary>Applies everything but workloads (namespace, volumes, ConfigMaps, Secrets); returns what was applied, as kind/name.</summary>
    Task<IReadOnlyList<string>> PrepareAsync(bool performClusterManagement, Action<string>? progress, CancellationToken cancellationToken);
}
