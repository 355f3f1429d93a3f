namespace Slipway.Core.Kubernetes;

/// <summary><c>security:</c> of the spec, applied to every container.</summary>
public sealed record SecuritySpec
{
    public bool Privileged { get; init; }

    public IReadOnlyList<string> Capabilities { get; init; } = [];

    public string? RuntimeClass { get; init; }
}
