using System.Text.Json.Nodes;
using Slipway.Core.Diagnostics;
using Slipway.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Rendering.Kubernetes;

/// <summary>
/// The Secrets of a Caddy certificate backup (<c>kubectl get secret -l manager=caddy -o yaml</c>, a List) made fit to
/// apply into a new cluster: only what defines a Secret is kept (kind, type, data, name, labels, annotations), the
/// server's fields (uid, resourceVersion, creationTimestamp, managedFields, ownerReferences, last-applied) are dropped,
/// and every Secret lands in caddy-system whatever namespace the file names.
/// </summary>
public static class CaddyCertRestore
{
    private const string LastApplied = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>The Secrets of the backup, or the reason the file cannot be used.</summary>
    public static (IReadOnlyList<JsonObject> Secrets, string? Problem) Secrets(string yaml, string file)
    {
        var diagnostics = new DiagnosticBag();
        var root = YamlDocuments.Load(yaml, file, diagnostics);
        if (diagnostics.HasErrors) return ([], string.Join("; ", diagnostics.Items.Select(d => d.ToString())));
        if (root is null) return ([], null);
        if (root is not YamlMappingNode map) return ([], $"{file}: not a kubectl list of Secrets");
        IEnumerable<YamlNode> items = Child(map, "items") is YamlSequenceNode list ? list.Children : Scalar(map, "kind") == "Secret" ? [map] : [];
        var secrets = new List<JsonObject>();
        foreach (var item in items.OfType<YamlMappingNode>().Where(i => Scalar(i, "kind") == "Secret"))
        {
            if (Child(item, "metadata") is not YamlMappingNode metadata || Scalar(metadata, "name") is not { Length: > 0 } name) continue;
            var kept = new JsonObject { ["name"] = name, ["namespace"] = CaddyIngress.Namespace };
            if (Strings(metadata, "labels") is { Count: > 0 } labels) kept["labels"] = labels;
            if (Strings(metadata, "annotations") is { } annotations)
            {
                annotations.Remove(LastApplied);
                if (annotations.Count > 0) kept["annotations"] = annotations;
            }

            var secret = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = kept };
            if (Scalar(item, "type") is { } type) secret["type"] = type;
            if (Strings(item, "data") is { } data) secret["data"] = data;
            secrets.Add(secret);
        }

        return (secrets, null);
    }

    /// <summary>What kubectl apply reads: one List of the Secrets, as JSON.</summary>
    public static string ApplyDocument(IReadOnlyList<JsonObject> secrets) =>
        new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = new JsonArray([.. secrets.Select(s => (JsonNode)s.DeepClone())]) }.ToJsonString(Relaxed);

    private static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static YamlNode? Child(YamlMappingNode map, string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlMappingNode map, string key) => Child(map, key) is YamlScalarNode { Value: { } value } ? value : null;

    private static JsonObject? Strings(YamlMappingNode map, string key)
    {
        if (Child(map, key) is not YamlMappingNode values) return null;
        var result = new JsonObject();
        foreach (var (k, v) in values.Children)
        {
            if (k is YamlScalarNode { Value: { } name } && v is YamlScalarNode { Value: { } text }) result[name] = text;
        }

        return result;
    }
}
