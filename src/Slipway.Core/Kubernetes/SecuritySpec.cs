using Slipway.Core.Diagnostics;

namespace Slipway.Core.Kubernetes;

/// <summary><c>security:</c> of the spec, applied to every container.</summary>
public sealed record SecuritySpec
{
    public bool Privileged { get; init; }

    public IReadOnlyList<string> Capabilities { get; init; } = [];

    public string? RuntimeClass { get; init; }

    /// <summary><c>unlimited-memlock: true</c>: pods run under the <c>high-memlock</c> RuntimeClass (k8s-kind makes it).</summary>
    public SourceLocation? UnlimitedMemlock { get; init; }
}
