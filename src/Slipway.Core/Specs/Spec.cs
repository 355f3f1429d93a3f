using Slipway.Core.Kubernetes;
using Slipway.Core.Verification;

namespace Slipway.Core.Specs;

/// <summary>The operator's spec.yml: read-only input; Slipway never rewrites it.</summary>
public sealed record Spec
{
    public required string FilePath { get; init; }

    public string Directory => System.IO.Path.GetDirectoryName(FilePath)!;

    public Located<string>? Stack { get; init; }

    public DeployTarget DeployTo { get; init; } = DeployTarget.Compose;

    public Located<string>? KubeConfig { get; init; }

    public Located<string>? Namespace { get; init; }

    public IReadOnlyList<ConfigValue> Config { get; init; } = [];

    public IReadOnlyList<Located<string>> EnvFiles { get; init; } = [];

    public IReadOnlyList<Located<string>> CredentialsFiles { get; init; } = [];

    public IReadOnlyList<ServicePorts> Ports { get; init; } = [];

    public IReadOnlyList<VolumeSpec> Volumes { get; init; } = [];

    public IReadOnlyList<Located<string>> ConfigMaps { get; init; } = [];

    public IReadOnlyDictionary<string, Located<string>> ImageOverrides { get; init; } = new Dictionary<string, Located<string>>();

    public Located<string>? ImageRegistry { get; init; }

    public RegistryCredentials? RegistryCredentials { get; init; }

    /// <summary>The keys only the Kubernetes targets act on (resources, security, http-proxy, ...).</summary>
    public KubernetesSpec Kubernetes { get; init; } = KubernetesSpec.Empty;

    /// <summary>Health checks run after every apply (spec <c>verify</c>).</summary>
    public IReadOnlyList<VerifyCheck> Verify { get; init; } = [];

    public RolloutSettings Rollout { get; init; } = RolloutSettings.Default;

    /// <summary>Operator commands around apply (spec <c>hooks</c>).</summary>
    public SpecHooks Hooks { get; init; } = SpecHooks.None;

    /// <summary>Keys present in the file, for checks that only care whether something was said.</summary>
    public IReadOnlySet<string> PresentKeys { get; init; } = new HashSet<string>();
}
