using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Rendering.Kubernetes;
using Slipway.Core.Specs;
using Slipway.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Slipway.Infrastructure.Backends.Kubernetes;

/// <summary>
/// The multi-document YAML files deploy create renders into D/k8s (the backend's file contract): read without the
/// renderer's C# types, edited in memory (image pins), and written back to a string for kubectl's stdin.
/// </summary>
internal static class KubernetesManifests
{
    public static IReadOnlyList<ManifestObject> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new SlipwayException(FailureReason.NotFound, $"{path} does not exist: this deployment has no rendered Kubernetes manifests",
                "re-render the deployment directory with 'slipway deploy create --update --spec-file SPEC --deployment-dir D'");
        }

        return Parse(File.ReadAllText(path), path);
    }

    public static IReadOnlyList<ManifestObject> Parse(string text, string file)
    {
        var diagnostics = new DiagnosticBag();
        var documents = YamlDocuments.LoadAll(text, file, diagnostics);
        if (documents is null)
        {
            throw new SlipwayException(FailureReason.InvalidInput, string.Join(Environment.NewLine, diagnostics.Items.Select(d => d.ToString())),
                "re-render it with 'slipway deploy create --update'");
        }

        var objects = new List<ManifestObject>();
        foreach (var node in documents)
        {
            if (node is not YamlMappingNode root)
            {
                // An empty document between two '---' is allowed; anything else is not an object.
                if (node is YamlScalarNode { Value: null or "" }) continue;
                throw Bad(file, node, "a manifest document must be a mapping (one Kubernetes object)");
            }

            var apiVersion = root.Scalar("apiVersion");
            var kind = root.Scalar("kind");
            var name = root.Child("metadata")?.Scalar("name");
            if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind) || string.IsNullOrEmpty(name))
            {
                throw Bad(file, root, "every object needs apiVersion, kind and metadata.name");
            }

            objects.Add(new ManifestObject(apiVersion, kind, name, root.Child("metadata")?.Scalar("namespace"), root));
        }

        return objects;
    }

    /// <summary>Replaces container images equal to a pin's key by its value; returns how many were replaced.</summary>
    public static int PinImages(IEnumerable<ManifestObject> objects, IReadOnlyDictionary<string, string> pins)
    {
        if (pins.Count == 0) return 0;
        var replaced = 0;
        foreach (var container in objects.SelectMany(o => o.Containers()))
        {
            if (container.Scalar("image") is { } image && pins.TryGetValue(image, out var pinned))
            {
                container.Children[new YamlScalarNode("image")] = new YamlScalarNode(pinned);
                replaced++;
            }
        }

        return replaced;
    }

    /// <summary>The objects as one multi-document YAML text.</summary>
    public static string Serialize(IEnumerable<ManifestObject> objects)
    {
        var stream = new YamlStream(objects.Select(o => new YamlDocument(o.Node)));
        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        // YamlStream ends every document with "..."; kubectl's reader splits on "---" only, so plain separators are safer.
        return writer.ToString().ReplaceLineEndings("\n").Replace("\n...\n", "\n", StringComparison.Ordinal);
    }

    /// <summary><c>kubectl get -o name</c> spelling: the lowercase kind, then the group unless it is the core group.</summary>
    /// <summary>
    /// The absolute host binds of D's rendered pods (pod volumes with a hostPath; data volumes are PersistentVolumes), as
    /// rows of the volume table: plan shows what deploy create showed.
    /// </summary>
    public static IReadOnlyList<VolumePlacement> NodeBinds(string deploymentDirectory, DeployTarget target)
    {
        var file = Path.Combine(deploymentDirectory, KubernetesRenderer.ManifestsFile);
        if (!File.Exists(file)) return [];
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var o in Load(file).Where(o => o.Kind == "Deployment"))
        {
            if (o.Node.Child("spec")?.Child("template")?.Child("spec") is not { } pod) continue;
            if (!pod.Children.TryGetValue(new YamlScalarNode("volumes"), out var list) || list is not YamlSequenceNode volumes) continue;
            foreach (var volume in volumes.Children.OfType<YamlMappingNode>())
            {
                if (volume.Child("hostPath")?.Scalar("path") is { } path) paths.Add(path);
            }
        }

        return [.. paths.Select(p => VolumePlacement.ForNodeBind(p, target))];
    }

    public static string ResourceName(string kind, string group, string name) =>
        $"{kind.ToLowerInvariant()}{(group.Length == 0 ? "" : "." + group)}/{name}";

    internal static YamlMappingNode? Child(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child as YamlMappingNode : null;

    internal static string? Scalar(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlScalarNode scalar ? scalar.Value : null;

    private static SlipwayException Bad(string file, YamlNode node, string message) =>
        new(FailureReason.InvalidInput, $"{file}:{node.Start.Line}:{node.Start.Column}: {message}", "re-render it with 'slipway deploy create --update'");
}
