using Slipway.Core;
using Slipway.Core.Diagnostics;
using Slipway.Core.Rendering.Kubernetes;
using Slipway.Infrastructure.Files;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Slipway.Infrastructure.Backends.Kubernetes;

/// <summary>
/// The spec configmaps made from folders of D (<see cref="FolderConfigMaps"/>): before each apply or plan their content
/// is read from the folder as it is now, and the pod templates that mount them get the new digest, so a changed file
/// rolls exactly those pods and an unchanged folder changes nothing.
/// </summary>
internal static class ConfigMapFolders
{
    public static void Refresh(IReadOnlyList<ManifestObject> objects, string directory)
    {
        var files = new DiskHostFiles();
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var cm in objects.Where(o => o.Kind == "ConfigMap" && o.Annotation(SlipwayLabels.ConfigMapFolderAnnotation).Length > 0))
        {
            var folder = Path.Combine(directory, cm.Annotation(SlipwayLabels.ConfigMapFolderAnnotation));
            var content = FolderConfigMaps.Read(files.Stat(folder), $"configmap {cm.Name}: its folder {folder}", out var error)
                ?? throw new SlipwayException(FailureReason.InvalidInput, error!,
                    $"the ConfigMap is made from that folder at each start: create it (it may be empty) with the files to mount");
            cm.Node.Children.Remove(new YamlScalarNode("data"));
            cm.Node.Children.Remove(new YamlScalarNode("binaryData"));
            if (content.Data.Count > 0 || content.BinaryData.Count == 0) cm.Node.Children[new YamlScalarNode("data")] = Map(content.Data);
            if (content.BinaryData.Count > 0) cm.Node.Children[new YamlScalarNode("binaryData")] = Map(content.BinaryData);
            digests[cm.Name] = content.Digest;
        }

        if (digests.Count == 0) return;
        foreach (var o in objects.Where(o => o.Kind is "Deployment" or "Job"))
        {
            var template = o.Node.Child("spec")?.Child("template");
            if (template?.Child("spec") is not { } podSpec || !podSpec.Children.TryGetValue(new YamlScalarNode("volumes"), out var list) || list is not YamlSequenceNode volumes) continue;
            var mounted = volumes.Children.OfType<YamlMappingNode>()
                .Select(v => v.Child("configMap")?.Scalar("name"))
                .Where(n => n is not null && digests.ContainsKey(n)).Distinct()
                .Select(n => (n!, digests[n!])).ToList();
            if (mounted.Count == 0) continue;
            if (template.Child("metadata") is not { } metadata) template.Children[new YamlScalarNode("metadata")] = metadata = new YamlMappingNode();
            if (metadata.Child("annotations") is not { } annotations) metadata.Children[new YamlScalarNode("annotations")] = annotations = new YamlMappingNode();
            annotations.Children[new YamlScalarNode(SlipwayLabels.ConfigMapDigestAnnotation)] = new YamlScalarNode(FolderConfigMaps.TemplateDigest(mounted));
        }
    }

    private static YamlMappingNode Map(IReadOnlyList<KeyValuePair<string, string>> entries)
    {
        var map = new YamlMappingNode();
        foreach (var (key, value) in entries) map.Add(new YamlScalarNode(key), new YamlScalarNode(value) { Style = ScalarStyle.DoubleQuoted });
        return map;
    }
}
