using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;

namespace Slipway.Core.Kubernetes;

/// <summary>CPU and memory for one side (requests or limits) of a container; values are Kubernetes quantities.</summary>
public sealed record ResourceAmounts(string? Cpu, string? Memory)
{
    public bool IsEmpty => Cpu is null && Memory is null;

    /// <summary>Each field of <paramref name="preferred"/> wins over this one's.</summary>
    public ResourceAmounts Under(ResourceAmounts? preferred) =>
        preferred is null ? this : new ResourceAmounts(preferred.Cpu ?? Cpu, preferred.Memory ?? Memory);
}

public sealed record ContainerResources(ResourceAmounts Requests, ResourceAmounts Limits)
{
    public static readonly ContainerResources None = new(new ResourceAmounts(null, null), new ResourceAmounts(null, null));

    public ContainerResources Under(ContainerResources? preferred) =>
        preferred is null ? this : new ContainerResources(Requests.Under(preferred.Requests), Limits.Under(preferred.Limits));
}

/// <summary><c>resources:</c> of the spec: global and per-container CPU/memory, global and per-volume storage.</summary>
public sealed record ResourcesSpec
{
    public ContainerResources? Containers { get; init; }

    public IReadOnlyDictionary<string, Located<ContainerResources>> PerContainer { get; init; } = new Dictionary<string, Located<ContainerResources>>();

    public string? VolumeStorage { get; init; }

    public IReadOnlyDictionary<string, Located<string>> PerVolumeStorage { get; init; } = new Dictionary<string, Located<string>>();
}

public sealed record SecuritySpec
{
    public bool Privileged { get; init; }

    public IReadOnlyList<string> Capabilities { get; init; } = [];

    public string? RuntimeClass { get; init; }
}

public sealed record ProxyRoute(string Path, string Service, int Port, SourceLocation Location);

public sealed record HttpProxyHost(string HostName, IReadOnlyList<ProxyRoute> Routes, SourceLocation Location);

public sealed record NodeAffinity(string Label, string Value, SourceLocation Location);

public sealed record NodeToleration(string Key, string? Value, string Effect, SourceLocation Location);

/// <summary>A spec configmap: <c>name: source</c>; a source starting with <c>./</c> means the stack's <c>config/&lt;name&gt;</c>.</summary>
public sealed record ConfigMapSpec(string Name, string Source, SourceLocation Location);

/// <summary>An existing Kubernetes Secret exposed as environment: all its keys (envFrom) or the listed ones.</summary>
public sealed record SecretRefSpec(string Name, IReadOnlyList<string> Keys, SourceLocation Location);

/// <summary>The spec keys that only the Kubernetes targets act on (reference/laconic-so.md §3.2).</summary>
public sealed record KubernetesSpec
{
    public static readonly KubernetesSpec Empty = new();

    public ResourcesSpec Resources { get; init; } = new();

    public SecuritySpec Security { get; init; } = new();

    public IReadOnlyList<KeyValuePair<string, Located<string>>> Annotations { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, Located<string>>> Labels { get; init; } = [];

    public int Replicas { get; init; } = 1;

    public IReadOnlyList<NodeAffinity> NodeAffinities { get; init; } = [];

    public IReadOnlyList<NodeToleration> NodeTolerations { get; init; } = [];

    public IReadOnlyList<HttpProxyHost> HttpProxy { get; init; } = [];

    public IReadOnlyList<SecretRefSpec> Secrets { get; init; } = [];

    public IReadOnlyList<ConfigMapSpec> ConfigMaps { get; init; } = [];

    public Located<string>? KindClusterName { get; init; }

    public Located<string>? KindMountRoot { get; init; }

    public Located<string>? ImagePullPolicy { get; init; }
}
