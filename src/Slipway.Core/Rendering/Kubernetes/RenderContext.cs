using System.Text.Json.Nodes;
using Slipway.Core.Compose;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Kubernetes;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;

namespace Slipway.Core.Rendering.Kubernetes;

/// <summary>
/// What the object builders of one render share: the inputs, the names derived from them, the diagnostics, and what
/// earlier builders made for later ones (ConfigMaps before the pods that mount them, files for D).
/// </summary>
internal sealed class RenderContext
{
    private readonly string _stack;

    public RenderContext(KubernetesInputs inputs)
    {
        Inputs = inputs;
        Spec = inputs.Spec;
        Id = inputs.DeploymentId;
        Namespace = KubernetesRenderer.NamespaceFor(inputs.Spec, inputs.Bundle.Stack.Name);
        _stack = KubeNames.LabelValue(inputs.Bundle.Stack.Name);
        Config = inputs.Config.GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        Lookup = key => Config.TryGetValue(key, out var v) ? v : null;
    }

    public KubernetesInputs Inputs { get; }

    public Spec Spec { get; }

    /// <summary>The deployment-id every object name starts with.</summary>
    public string Id { get; }

    public string Namespace { get; }

    /// <summary>The final config values, the last of a key winning.</summary>
    public IReadOnlyDictionary<string, string> Config { get; }

    /// <summary>Interpolation lookup over <see cref="Config"/>.</summary>
    public Func<string, string?> Lookup { get; }

    public DiagnosticBag Diagnostics { get; } = new();

    /// <summary>Every ConfigMap rendered so far, by name.</summary>
    public Dictionary<string, JsonObject> ConfigMaps { get; } = new(StringComparer.Ordinal);

    /// <summary>Content digests of <see cref="ConfigMaps"/>, worked out once per ConfigMap however many containers mount it.</summary>
    public Dictionary<string, string> ConfigMapDigests { get; } = new(StringComparer.Ordinal);

    /// <summary>Content digests of the spec configmaps made from folders of D (see <see cref="FolderConfigMaps"/>).</summary>
    public Dictionary<string, string> FolderConfigMapDigests { get; } = new(StringComparer.Ordinal);

    /// <summary>Folders to create in D (absolute): spec configmap folders the stack has no files for.</summary>
    public List<string> Directories { get; } = [];

    /// <summary>ConfigMaps holding an executable file: mounted with mode 0755.</summary>
    public HashSet<string> ExecutableConfigMaps { get; } = new(StringComparer.Ordinal);

    /// <summary>Host binds made into ConfigMaps, by resolved source path.</summary>
    public Dictionary<string, HostBind> HostBinds { get; } = new(StringComparer.Ordinal);

    /// <summary>Files for D besides the manifests (spec configmap copies, kubeconfig, kind config).</summary>
    public List<RenderedFile> Files { get; } = [];

    public IReadOnlyList<KubeVolume> Volumes { get; set; } = [];

    /// <summary>The keys of the ca-certificates Secret (one per certificate) and the digest of their content, once read.</summary>
    public IReadOnlyList<string> CaCertificateKeys { get; set; } = [];

    public string? CaCertificateDigest { get; set; }

    public string Interpolate(string text) => Interpolation.Apply(text, Lookup).Value;

    /// <summary>An interpolated bind source as an absolute path, seen from the compose file's folder.</summary>
    public static string ResolveBind(StackComposeFile file, string source) =>
        Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file.SourcePath)!, StackResolver.ExpandHome(source))));

    /// <summary>Slipway's labels, with the pod, service or job they belong to.</summary>
    public JsonObject Labels(string? pod = null, string? service = null, string? job = null)
    {
        var labels = new JsonObject
        {
            [SlipwayLabels.ManagedByLabel] = SlipwayLabels.ManagedByValue,
            [SlipwayLabels.DeploymentIdLabel] = Id,
            [SlipwayLabels.StackLabel] = _stack,
        };
        if (pod is not null) labels[SlipwayLabels.PodLabel] = KubeNames.LabelValue(pod);
        if (job is not null) labels[SlipwayLabels.JobLabel] = KubeNames.LabelValue(job);
        if (service is not null) labels[SlipwayLabels.ServiceLabel] = KubeNames.LabelValue(service);
        return labels;
    }

    /// <summary>A namespaced object with its metadata.</summary>
    public JsonObject Object(string apiVersion, string kind, string name, JsonObject labels) => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = kind,
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace, ["labels"] = labels },
    };

    /// <summary>What a pod's Deployment and Services select it by.</summary>
    public JsonObject Selector(string pod) => new() { [SlipwayLabels.DeploymentIdLabel] = Id, [SlipwayLabels.PodLabel] = KubeNames.LabelValue(pod) };

    /// <summary>The ports http-proxy routes send to <paramref name="service"/>.</summary>
    /// <remarks>maintenance-service counts as a route: its pod gets the ClusterIP Service the Ingress is swapped to.</remarks>
    public IEnumerable<int> ProxyPorts(string service) =>
        Spec.Kubernetes.HttpProxy.SelectMany(h => h.Routes).Append(Spec.Kubernetes.MaintenanceService).OfType<ProxyRoute>()
            .Where(r => r.Service == service).Select(r => r.Port).Distinct();

    /// <summary>The ports a service publishes: the spec's network.ports for it, else its compose ports.</summary>
    public IReadOnlyList<PortSpec> EffectivePorts(ComposeService service)
    {
        if (Spec.Ports.FirstOrDefault(p => p.Service == service.Name) is not { } overridden) return service.Ports;
        var list = new List<PortSpec>();
        foreach (var p in overridden.Ports)
        {
            if (PortSpec.TryParse(Interpolate(p.Value), out var port, out _)) list.Add(port);
        }

        return list;
    }

    public static string Name(JsonObject o) => (string)o["metadata"]!["name"]!;
}
