using System.Text.Json.Nodes;
using Slipway.Core.Kubernetes;
using Slipway.Core.Specs;

namespace Slipway.Core.Rendering.Kubernetes;

/// <summary>The Ingress of the spec's http-proxy: a rule per host, with cert-manager TLS on k8s.</summary>
internal static class Ingress
{
    /// <summary>The Secret cert-manager fills for a host (not rendered by Slipway).</summary>
    public static string TlsSecretName(string deploymentId, string host) => KubeNames.Label($"{deploymentId}-{host}-tls", 253);

    public static JsonObject? Render(RenderContext context)
    {
        var hosts = context.Spec.Kubernetes.HttpProxy.Where(h => h.Routes.Count > 0).ToList();
        if (hosts.Count == 0) return null;
        var owner = context.Inputs.Bundle.Pods.SelectMany(p => p.Compose.Services.Select(s => (s.Name, Pod: p.Name))).ToDictionary(x => x.Name, x => x.Pod, StringComparer.Ordinal);
        var ingress = context.Object("networking.k8s.io/v1", "Ingress", context.Id, context.Labels());
        var tls = context.Spec.DeployTo == DeployTarget.K8s;
        var annotations = new JsonObject();
        if (tls) annotations["cert-manager.io/cluster-issuer"] = "letsencrypt-prod";
        if (context.Spec.Kubernetes.MaintenanceService is { } maintenance && owner.TryGetValue(maintenance.Service, out var maintenancePod))
        {
            // What restart points every path at while it replaces the other pods (the backend swaps and restores).
            annotations[SlipwayLabels.MaintenanceBackendAnnotation] = $"{Services.ClusterIpName(context, maintenancePod)}:{maintenance.Port}";
        }

        if (annotations.Count > 0) ingress["metadata"]!["annotations"] = annotations;
        var spec = new JsonObject();
        if (tls)
        {
            spec["tls"] = new JsonArray(hosts.Select(h => (JsonNode)new JsonObject
            {
                ["hosts"] = new JsonArray(h.HostName),
                ["secretName"] = TlsSecretName(context.Id, h.HostName),
            }).ToArray());
        }

        // Every http-proxy entry is a rule (laconic-so used only the first).
        spec["rules"] = new JsonArray(hosts.Select(h => (JsonNode)new JsonObject
        {
            ["host"] = h.HostName,
            ["http"] = new JsonObject
            {
                ["paths"] = new JsonArray(h.Routes.Where(r => owner.ContainsKey(r.Service)).Select(r => (JsonNode)new JsonObject
                {
                    ["path"] = r.Path,
                    ["pathType"] = "Prefix",
                    ["backend"] = new JsonObject
                    {
                        ["service"] = new JsonObject { ["name"] = Services.ClusterIpName(context, owner[r.Service]), ["port"] = new JsonObject { ["number"] = r.Port } },
                    },
                }).ToArray()),
            },
        }).ToArray());
        ingress["spec"] = spec;
        return ingress;
    }
}
