namespace Slipway.Infrastructure.Backends;

/// <summary>A backend whose http-proxy host names reach it through an ingress (Kubernetes): restart probes a changed one first.</summary>
public interface IHostNameProbingBackend
{
    /// <summary>Refuses (a <see cref="Core.Diagnostics.SlipwayException"/>) unless <paramref name="host"/> resolves and answers through this cluster's ingress.</summary>
    Task ProbeHostNameAsync(string host, string? previous, Action<string>? progress, CancellationToken cancellationToken);
}
