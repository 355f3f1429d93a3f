using Slipway.Core.Diagnostics;

namespace Slipway.Core.Kubernetes;

/// <summary>
/// A spec <c>external-services</c> entry: a name the pods resolve to something outside the deployment, a DNS name
/// (<see cref="Host"/>, an ExternalName Service) or an IPv4 address (<see cref="Ip"/>, a headless Service with an
/// EndpointSlice). <see cref="Selector"/>: laconic-so's pods-of-another-namespace form, recognised and not rendered.
/// </summary>
public sealed record ExternalServiceSpec(string Name, string? Host, string? Ip, bool Selector, int Port, SourceLocation Location);
