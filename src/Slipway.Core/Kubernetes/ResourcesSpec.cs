using Slipway.Core.Specs;

namespace Slipway.Core.Kubernetes;

/// <summary><c>resources:</c> of the spec: global and per-container CPU/memory, global and per-volume storage.</summary>
public sealed record ResourcesSpec
{
    public ContainerResources? Containers { get; init; }

    public IReadOnlyDictionary<string, Located<ContainerResources>> PerContainer { get; init; } = new Dictionary<string, Located<ContainerResources>>();

    public string? VolumeStorage { get; init; }

    public IReadOnlyDictionary<string, Located<string>> PerVolumeStorage { get; init; } = new Dictionary<string, Located<string>>();
}
