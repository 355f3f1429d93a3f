using Slipway.Core.Files;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;

namespace Slipway.Core.Rendering.Kubernetes;

/// <summary>Everything the Kubernetes translation needs; files are read only through <see cref="HostFiles"/>.</summary>
public sealed record KubernetesInputs
{
    public required Spec Spec { get; init; }

    public required StackBundle Bundle { get; init; }

    public required string DeploymentId { get; init; }

    /// <summary>Absolute path of D: owner annotation of the namespace, base of kind's relative volumes.</summary>
    public required string DeploymentDirectory { get; init; }

    /// <summary>The final config values (config.env: spec config with generated secrets resolved, then env-files).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Config { get; init; } = [];

    /// <summary>Bytes of the spec's kube-config (deploy-to k8s).</summary>
    public byte[]? KubeConfig { get; init; }

    public required IHostFiles HostFiles { get; init; }

    /// <summary>The deployment's secret key for the pod templates' config hash (see <see cref="ConfigHash"/>); at least 16 bytes.</summary>
    public required byte[] ConfigHashKey { get; init; }
}
