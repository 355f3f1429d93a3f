using Slipway.Core.Files;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;

namespace Slipway.Core.Rendering;

/// <summary>The inputs of one render; files it needs are read through <see cref="HostFiles"/>.</summary>
public sealed record RenderInputs
{
    public required Spec Spec { get; init; }

    public required byte[] SpecBytes { get; init; }

    public required StackBundle Bundle { get; init; }

    public required byte[] StackBytes { get; init; }

    /// <summary>Absolute path of D: host-path volumes resolve against it.</summary>
    public required string DeploymentDirectory { get; init; }

    /// <summary>Entries of the spec's env-files and credentials-files, in order (later wins).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> EnvFileEntries { get; init; } = [];

    /// <summary>The current <c>D/config.env</c> on an update: generated secrets keep their values.</summary>
    public IReadOnlyDictionary<string, string> PreviousConfig { get; init; } = new Dictionary<string, string>();

    public Func<int, byte[]>? Random { get; init; }

    /// <summary>Kubernetes targets: the deployment-id every object name starts with.</summary>
    public string? DeploymentId { get; init; }

    /// <summary>deploy-to k8s: the bytes of the spec's kube-config.</summary>
    public byte[]? KubeConfig { get; init; }

    /// <summary>Kubernetes targets: the deployment's secret key for the pod templates' config hash (D/.slipway/config-hash-key).</summary>
    public byte[]? ConfigHashKey { get; init; }

    /// <summary>Kubernetes targets: also write D/chart, a Helm chart of the same objects (deploy create --helm-chart).</summary>
    public bool HelmChart { get; init; }

    /// <summary>Every file the render reads: stack config folders, volume paths, and on Kubernetes binds, spec configmaps and env files.</summary>
    public required IHostFiles HostFiles { get; init; }
}
