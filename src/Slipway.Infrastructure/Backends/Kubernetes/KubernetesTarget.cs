using System.Text.Json;
using Slipway.Core;
using Slipway.Core.Diagnostics;
using Slipway.Core.Rendering.Kubernetes;
using Slipway.Core.Specs;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Registry;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Backends.Kubernetes;

/// <summary>
/// What every part of the Kubernetes backend shares: the deployment session, kubectl bound to its cluster, the kind
/// cluster (k8s-kind), and the rendered manifests of D/k8s. The backend depends only on the file contract: Slipway's
/// labels on every object, the Namespace's owner annotation, and the &lt;id&gt;-registry pull secret made at apply time.
/// </summary>
internal sealed class KubernetesTarget
{
    /// <summary>Namespaced kinds Slipway renders or has applied (D/.slipway/k8s-owned), which prune and stop look through; PVCs only with --delete-volumes.</summary>
    public string OwnedKinds => Owned().KindList;

    /// <summary>The namespaces and kinds this deployment has applied, read fresh (apply adds to it).</summary>
    public OwnedRecord Owned() => OwnedRecord.Read(Session.Layout.State);

    private string? _namespace;

    public KubernetesTarget(DeploymentSession session, ToolBox tools, KubernetesBackendOptions options)
    {
        if (!session.Target.IsKubernetes()) throw new ArgumentException("not a Kubernetes deployment", nameof(session));
        Session = session;
        Options = options;
        Cluster = session.Target == DeployTarget.K8sKind
            ? new KindCluster(tools.Kind, tools.Docker, session.Identity.ClusterId, session.Layout.Directory)
            : null;
        string[] connection = Cluster is null ? ["--kubeconfig", KubeconfigFile] : ["--context", Cluster.Context];
        Kubectl = new Kubectl(tools.Runner, tools.Paths.Kubectl, connection, session.Layout.Directory, session.SecretValues);
    }

    public DeploymentSession Session { get; }

    public KubernetesBackendOptions Options { get; }

    public Kubectl Kubectl { get; }

    /// <summary>The kind cluster of a k8s-kind deployment; null on k8s.</summary>
    public KindCluster? Cluster { get; }

    public string DeploymentId => Session.Identity.DeploymentId;

    public string Directory => Session.Layout.Directory;

    public string Selector => $"{SlipwayLabels.DeploymentIdLabel}={DeploymentId}";

    public string ManifestsFile => Path.Combine(Directory, KubernetesRenderer.ManifestsFile);

    public string JobsFolder => Path.Combine(Directory, KubernetesRenderer.JobsFolder);

    public string KubeconfigFile => Path.Combine(Directory, KubernetesRenderer.KubeConfigFile);

    public IReadOnlyList<ManifestObject> LoadManifests() => KubernetesManifests.Load(ManifestsFile);

    public IReadOnlyList<ManifestObject> LoadJobObjects() =>
        System.IO.Directory.Exists(JobsFolder)
            ? System.IO.Directory.EnumerateFiles(JobsFolder, "*.yml").Order(StringComparer.Ordinal).SelectMany(KubernetesManifests.Load).ToList()
            : [];

    /// <summary>The namespace manifests.yml declares, read once (verify asks for it at every poll).</summary>
    public string Namespace => _namespace ??= NamespaceOf(LoadManifests()).Name;

    public ManifestObject NamespaceOf(IReadOnlyList<ManifestObject> manifests) =>
        manifests.FirstOrDefault(o => o.Kind == "Namespace")
        ?? throw new SlipwayException(FailureReason.InvalidInput, $"{ManifestsFile} declares no Namespace: Slipway refuses to apply into a namespace it cannot check the owner of",
            "re-render it with 'slipway deploy create --update'");

    /// <summary>The Deployment whose pod runs <paramref name="service"/> (one per pod; containers are named after services).</summary>
    public static ManifestObject PodOf(IReadOnlyList<ManifestObject> manifests, string service)
    {
        var deployments = manifests.Where(o => o.Kind == "Deployment").ToList();
        return deployments.FirstOrDefault(d => d.Containers().Any(c => c.Scalar("name") == service))
            ?? throw new SlipwayException(FailureReason.NotFound, $"no pod of this deployment runs a service '{service}'",
                "services: " + string.Join(", ", deployments.SelectMany(d => d.Containers()).Select(c => c.Scalar("name")).Distinct()));
    }

    public void RequireKubeconfig()
    {
        if (!File.Exists(KubeconfigFile))
        {
            throw new SlipwayException(FailureReason.PrerequisiteMissing, $"{KubeconfigFile} does not exist: deploy-to k8s talks to the cluster only through it",
                "set kube-config in the spec and run 'slipway deploy create --update'");
        }
    }

    /// <summary>Makes sure there is a cluster to talk to: the kind cluster runs (or is created when allowed), or the kubeconfig exists.</summary>
    public async Task ConnectAsync(bool performClusterManagement, Action<string>? progress, CancellationToken cancellationToken)
    {
        if (Cluster is not null) await Cluster.EnsureAsync(performClusterManagement, progress, Options.Warn, cancellationToken);
        else RequireKubeconfig();
    }

    public string ConnectionHint() => Cluster is null
        ? $"check that the cluster in {KubeconfigFile} is reachable: 'kubectl --kubeconfig {KubeconfigFile} get namespaces'"
        : $"check that the kind cluster is healthy: 'kubectl --context {Cluster.Context} get nodes'";

    /// <summary>
    /// The registry pull secret when the spec has registry-credentials and the token is there; a missing token is a
    /// warning (pods then pull anonymously) and null.
    /// </summary>
    public RegistryPullSecret? PullSecret(ManifestObject ns, bool warn)
    {
        if (Session.Spec.RegistryCredentials is not { } credentials) return null;
        var token = RegistryToken.Resolve(credentials, Session.SpecDirectory, Options.GetEnvironment);
        if (!token.HasToken)
        {
            if (warn) Options.Warn($"{token.Warning}; the {RegistryPullSecret.NameFor(DeploymentId)} pull secret is not created or updated, so private images may fail to pull");
            return null;
        }

        if (credentials.Username is null && warn)
        {
            Options.Warn($"registry-credentials ({credentials.Location}) has no username; the pull secret uses 'slipway', which registries that check it will refuse");
        }

        return RegistryPullSecret.Build(DeploymentId, ns.Name, ns.Label(SlipwayLabels.StackLabel), credentials.Server, credentials.Username ?? "slipway", token.Token!);
    }

    public static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static List<JsonElement> Items(string json)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        var root = JsonDocument.Parse(json).RootElement;
        return root.TryGetProperty("items", out var items) ? items.EnumerateArray().Select(i => i.Clone()).ToList() : [];
    }
}
