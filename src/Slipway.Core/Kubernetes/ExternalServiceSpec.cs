using Slipway.Core.Diagnostics;

namespace Slipway.Core.Kubernetes;

/// <summary>
/// A spec <c>external-services</c> entry: a name the pods resolve to something outside the deployment, a DNS name
/// (<see cref="Host"/>, an ExternalName Service) or an IPv4 address (<see cref="Ip"/>, a headless Service with an
/// EndpointSlice), or the pods of another namespace (<see cref="Selector"/> in <see cref="SelectorNamespace"/>: a headless
/// Service whose EndpointSlice start fills with those pods' addresses).
/// </summary>
public sealed record ExternalServiceSpec(string Name, string? Host, string? Ip, bool Selector, int Port, SourceLocation Location)
{
    public IReadOnlyList<KeyValuePair<string, string>> SelectorLabels { get; init; } = [];

    public string? SelectorNamespace { get; init; }
}
