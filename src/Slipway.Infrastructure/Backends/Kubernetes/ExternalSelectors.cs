using System.Text.Json;
using Slipway.Core;
using YamlDotNet.RepresentationModel;

namespace Slipway.Infrastructure.Backends.Kubernetes;

/// <summary>
/// external-services of the selector form: before each apply, the rendered (empty) EndpointSlice of each gets the
/// addresses of the running pods the selector finds in the other namespace, so the name resolves to them. Pods that
/// come later are found by the next start; none found is said, and the name then resolves to nothing.
/// </summary>
internal static class ExternalSelectors
{
    public static async Task FillAsync(KubernetesTarget target, IEnumerable<ManifestObject> objects, Action<string>? progress, CancellationToken cancellationToken)
    {
        foreach (var slice in objects.Where(o => o.Kind == "EndpointSlice" && o.Annotation(SlipwayLabels.ExternalSelectorAnnotation).Length > 0))
        {
            var value = slice.Annotation(SlipwayLabels.ExternalSelectorAnnotation);
            var slash = value.IndexOf('/', StringComparison.Ordinal);
            var (ns, selector) = (value[..slash], value[(slash + 1)..]);
            var service = slice.Label("kubernetes.io/service-name");
            var pods = await target.Kubectl.RequireAsync($"get pods -n {ns} (external service {service})", ["get", "pods", "-n", ns, "-l", selector, "-o", "json"], cancellationToken);
            var addresses = KubernetesTarget.Items(pods.StandardOutput)
                .Where(p => Text(p, "status", "phase") == "Running")
                .Select(p => Text(p, "status", "podIP"))
                .OfType<string>()
                .Distinct()
                .Order(StringComparer.Ordinal)
                .ToList();
            if (addresses.Count == 0)
            {
                target.Options.Warn($"external service {service}: no running pod in namespace {ns} matches {selector}; the name resolves to nothing until a start finds one");
            }
            else
            {
                progress?.Invoke($"external service {service}: {string.Join(", ", addresses)} (pods {selector} in namespace {ns})");
            }

            var endpoints = new YamlSequenceNode();
            foreach (var address in addresses)
            {
                endpoints.Add(new YamlMappingNode
                {
                    { "addresses", new YamlSequenceNode(new YamlScalarNode(address)) },
                    { "conditions", new YamlMappingNode { { "ready", new YamlScalarNode("true") { Style = YamlDotNet.Core.ScalarStyle.Plain } } } },
                });
            }

            slice.Node.Children[new YamlScalarNode("endpoints")] = endpoints;
        }
    }

    private static string? Text(JsonElement item, string section, string key) =>
        item.TryGetProperty(section, out var s) && s.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
