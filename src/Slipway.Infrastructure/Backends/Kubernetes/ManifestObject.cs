using YamlDotNet.RepresentationModel;

namespace Slipway.Infrastructure.Backends.Kubernetes;

/// <summary>One object of a rendered manifest file: what kubectl needs to name it, plus its YAML for in-memory edits.</summary>
internal sealed class ManifestObject(string apiVersion, string kind, string name, string? ns, YamlMappingNode node)
{
    public string ApiVersion { get; } = apiVersion;

    public string Kind { get; } = kind;

    public string Name { get; } = name;

    public string? Namespace { get; } = ns;

    public YamlMappingNode Node { get; } = node;

    /// <summary>The API group (empty for the core group), from apiVersion.</summary>
    public string Group => ApiVersion.Contains('/') ? ApiVersion[..ApiVersion.IndexOf('/')] : "";

    /// <summary>The resource as <c>kubectl get -o name</c> prints it: <c>deployment.apps/web</c>, <c>service/web</c>.</summary>
    public string ResourceName => KubernetesManifests.ResourceName(Kind, Group, Name);

    public string Label(string key) => Metadata("labels", key);

    public string Annotation(string key) => Metadata("annotations", key);

    /// <summary>The pod template's containers (Deployment, Job) as (container name, image node).</summary>
    public IEnumerable<YamlMappingNode> Containers()
    {
        var podSpec = Kind == "Pod" ? Node.Child("spec") : Node.Child("spec")?.Child("template")?.Child("spec");
        if (podSpec is null) yield break;
        foreach (var list in new[] { "initContainers", "containers" })
        {
            if (podSpec.Children.TryGetValue(new YamlScalarNode(list), out var node) && node is YamlSequenceNode sequence)
            {
                foreach (var container in sequence.Children.OfType<YamlMappingNode>()) yield return container;
            }
        }
    }

    /// <summary>The pod template's labels (Deployment, Job), where the selector and slipway.io/pod live.</summary>
    public string TemplateLabel(string key) =>
        Node.Child("spec")?.Child("template")?.Child("metadata")?.Child("labels")?.Scalar(key) ?? "";

    private string Metadata(string section, string key) => Node.Child("metadata")?.Child(section)?.Scalar(key) ?? "";
}
