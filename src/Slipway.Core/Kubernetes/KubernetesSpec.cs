using Slipway.Core.Specs;

namespace Slipway.Core.Kubernetes;

/// <summary>The spec keys that only the Kubernetes targets act on (under laconic-so's names).</summary>
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

    public IReadOnlyList<ExternalServiceSpec> ExternalServices { get; init; } = [];

    public IReadOnlyList<ConfigMapSpec> ConfigMaps { get; init; } = [];

    /// <summary><c>ca-certificates</c>: PEM files (paths as written, relative to the spec's folder) trusted by every container.</summary>
    public IReadOnlyList<Located<string>> CaCertificates { get; init; } = [];

    /// <summary><c>maintenance-service: SERVICE:PORT</c>: where the Ingress points while restart replaces the other pods.</summary>
    public ProxyRoute? MaintenanceService { get; init; }

    public Located<string>? KindClusterName { get; init; }

    public Located<string>? KindMountRoot { get; init; }

    public Located<string>? ImagePullPolicy { get; init; }

    /// <summary><c>caddy-ingress-image</c>: the Caddy ingress controller's image on k8s-kind (installed, and reconciled on later starts).</summary>
    public Located<string>? CaddyIngressImage { get; init; }

    /// <summary><c>network.acme-email</c>: the ACME account e-mail of the Caddy ingress controller on k8s-kind.</summary>
    public Located<string>? AcmeEmail { get; init; }
}
