using System.Text.Json.Nodes;
using Slipway.Core.Compose;
using Slipway.Core.Diagnostics;
using Slipway.Core.Kubernetes;
using Slipway.Core.Stacks;
using Slipway.Core.Yaml;

namespace Slipway.Core.Rendering.Kubernetes;

/// <summary>
/// Services: one named as each compose service with ports (so other pods reach it by its compose name, as on compose), a
/// ClusterIP per pod that http-proxy routes reach, a NodePort per compose service that publishes ports.
/// </summary>
internal static class Services
{
    public static void CheckProxyTargets(RenderContext context)
    {
        var httpProxy = context.Spec.Kubernetes.HttpProxy;
        var services = context.Inputs.Bundle.PodServices.Select(s => s.Name).ToList();
        foreach (var route in httpProxy.SelectMany(h => h.Routes).Where(r => !services.Contains(r.Service)))
        {
            context.Diagnostics.Error(DiagnosticCodes.UnknownReference, $"proxy-to names service '{route.Service}', which no pod of the stack defines", route.Location, DidYouMean.Hint(route.Service, services));
        }

        if (context.Spec.Kubernetes.MaintenanceService is { } maintenance)
        {
            var pod = context.Inputs.Bundle.Pods.FirstOrDefault(p => p.Compose.Services.Any(s => s.Name == maintenance.Service));
            if (pod is null)
            {
                context.Diagnostics.Error(DiagnosticCodes.UnknownReference, $"maintenance-service names service '{maintenance.Service}', which no pod of the stack defines", maintenance.Location, DidYouMean.Hint(maintenance.Service, services));
            }
            else if (httpProxy.All(h => h.Routes.Count == 0))
            {
                context.Diagnostics.Warning(DiagnosticCodes.NotApplicable, "maintenance-service has no effect without network.http-proxy: there is no Ingress to point at it while restart replaces the pods", maintenance.Location);
            }
            else if (httpProxy.SelectMany(h => h.Routes).Any(r => pod.Compose.Services.Any(s => s.Name == r.Service)))
            {
                context.Diagnostics.Warning(DiagnosticCodes.NotApplicable,
                    $"maintenance-service '{maintenance.Service}' is in pod '{pod.Name}' with services http-proxy routes to: that pod restarts with them, so during restart the Ingress points at a pod that is itself being replaced",
                    maintenance.Location, "put the maintenance service into a compose file (pod) of its own");
            }
        }

        foreach (var group in httpProxy.GroupBy(h => h.HostName).Where(g => g.Count() > 1))
        {
            context.Diagnostics.Error(DiagnosticCodes.Conflict, $"http-proxy host-name '{group.Key}' appears more than once; give all its routes under one entry", group.Last().Location);
        }
    }

    /// <summary>
    /// A ClusterIP Service named exactly as the compose service, over every port its container listens on. Compose lets
    /// the services of a stack reach each other by name; here that name resolves inside the deployment's namespace,
    /// which belongs to this one deployment, so plain names cannot collide with another deployment's.
    /// </summary>
    public static JsonObject? ByComposeName(RenderContext context, StackComposeFile pod, ComposeService service)
    {
        var ports = Containers.ContainerPorts(context, service);
        if (ports.Count == 0) return null;
        var name = service.Name;
        if (!KubeNames.IsDns1035Label(name))
        {
            var label = KubeNames.Label(name);
            name = KubeNames.IsDns1035Label(label) ? label : KubeNames.Label("svc-" + name);
            context.Diagnostics.Warning(DiagnosticCodes.NotApplicable,
                $"service '{service.Name}' is not a valid Kubernetes Service name (lowercase letters, digits and '-', starting with a letter); other pods reach it as '{name}'", service.Location);
        }

        var obj = context.Object("v1", "Service", name, context.Labels(pod: pod.Name, service: service.Name));
        obj["spec"] = new JsonObject
        {
            ["type"] = "ClusterIP",
            ["selector"] = context.Selector(pod.Name),
            ["ports"] = new JsonArray(ports.Select(p => (JsonNode)new JsonObject
            {
                ["name"] = $"{p.Protocol}-{p.Port}",
                ["port"] = p.Port,
                ["targetPort"] = p.Port,
                ["protocol"] = p.Protocol.ToUpperInvariant(),
            }).ToArray()),
        };
        return obj;
    }

    /// <summary>
    /// external-services: a name the pods resolve to something outside the deployment. A host is an ExternalName Service
    /// (DNS answers with a CNAME); an IP is a headless Service with an EndpointSlice holding that address, so DNS answers
    /// with the address itself, which needs no kube-proxy. EndpointSlice, not the Endpoints kind the API deprecates since 1.33.
    /// </summary>
    public static IEnumerable<JsonObject> External(RenderContext context)
    {
        foreach (var external in context.Spec.Kubernetes.ExternalServices)
        {
            var portName = $"port-{external.Port}";
            var service = context.Object("v1", "Service", external.Name, context.Labels(service: external.Name));
            var ports = new JsonArray(new JsonObject { ["name"] = portName, ["port"] = external.Port, ["protocol"] = "TCP" });
            if (external.Host is { } host)
            {
                service["spec"] = new JsonObject { ["type"] = "ExternalName", ["externalName"] = host, ["ports"] = ports };
                yield return service;
                continue;
            }

            ports[0]!["targetPort"] = external.Port;
            service["spec"] = new JsonObject { ["clusterIP"] = "None", ["ports"] = ports };
            yield return service;
            var labels = context.Labels(service: external.Name);
            labels[ServiceNameLabel] = external.Name;
            labels["endpointslice.kubernetes.io/managed-by"] = "slipway.io";
            var slice = context.Object("discovery.k8s.io/v1", "EndpointSlice", KubeNames.Label($"{context.Id}-{external.Name}"), labels);
            slice["addressType"] = "IPv4";
            if (external.Selector)
            {
                // The pods of another namespace: start fills the endpoints with their addresses (none until then).
                slice["metadata"]!["annotations"] = new JsonObject
                {
                    [SlipwayLabels.ExternalSelectorAnnotation] = $"{external.SelectorNamespace}/{string.Join(',', external.SelectorLabels.Select(l => $"{l.Key}={l.Value}"))}",
                };
                slice["endpoints"] = new JsonArray();
            }
            else
            {
                slice["endpoints"] = new JsonArray(new JsonObject { ["addresses"] = new JsonArray(external.Ip!) });
            }

            slice["ports"] = new JsonArray(new JsonObject { ["name"] = portName, ["port"] = external.Port, ["protocol"] = "TCP" });
            yield return slice;
        }
    }

    /// <summary>The label that ties an EndpointSlice to its Service.</summary>
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    /// <summary>The name of a pod's ClusterIP Service, which the Ingress routes to.</summary>
    public static string ClusterIpName(RenderContext context, string pod) => KubeNames.Label($"{context.Id}-{pod}");

    public static JsonObject? ClusterIp(RenderContext context, StackComposeFile pod)
    {
        var ports = pod.Compose.Services.SelectMany(s => context.ProxyPorts(s.Name)).Distinct().Order().ToList();
        if (ports.Count == 0) return null;
        var service = context.Object("v1", "Service", ClusterIpName(context, pod.Name), context.Labels(pod: pod.Name));
        service["spec"] = new JsonObject
        {
            ["type"] = "ClusterIP",
            ["selector"] = context.Selector(pod.Name),
            ["ports"] = new JsonArray(ports.Select(p => (JsonNode)new JsonObject
            {
                ["name"] = $"port-{p}",
                ["port"] = p,
                ["targetPort"] = p,
                ["protocol"] = "TCP",
            }).ToArray()),
        };
        return service;
    }

    /// <summary>
    /// One NodePort Service per compose service with published ports. A published port in the NodePort range is kept;
    /// others get a node port from the cluster. Ports bound to loopback stay private (reach them with a port-forward).
    /// </summary>
    public static IEnumerable<JsonObject> NodePort(RenderContext context, StackComposeFile pod, ComposeService service)
    {
        var ports = new JsonArray();
        var seen = new HashSet<(int, string)>();
        var at = context.Spec.Ports.FirstOrDefault(p => p.Service == service.Name)?.Location ?? service.Location;
        foreach (var port in context.EffectivePorts(service))
        {
            if (port.HostIp is { } ip && (ip.StartsWith("127.", StringComparison.Ordinal) || ip == "::1" || ip == "localhost"))
            {
                context.Diagnostics.Warning(DiagnosticCodes.NotApplicable, $"service '{service.Name}': port {port.Target} is bound to {ip}; on Kubernetes it gets no NodePort (reach it with 'deployment port', which port-forwards)", at);
                continue;
            }

            foreach (var (target, protocol) in Containers.Targets(port))
            {
                if (!seen.Add((target, protocol))) continue;
                var entry = new JsonObject
                {
                    ["name"] = $"{protocol}-{target}",
                    ["port"] = target,
                    ["targetPort"] = target,
                    ["protocol"] = protocol.ToUpperInvariant(),
                };
                if (port.Published is { IsSingle: true, Start: >= 30000 and <= 32767 } published && port.Target.IsSingle)
                {
                    entry["nodePort"] = published.Start;
                }
                else if (port.Published is { Start: > 0 } other)
                {
                    context.Diagnostics.Warning(DiagnosticCodes.NotApplicable, $"service '{service.Name}': published port {other} is outside the NodePort range 30000-32767; the cluster picks the node port ('deployment port' shows it)", at);
                }

                ports.Add(entry);
            }
        }

        if (ports.Count == 0) yield break;
        var obj = context.Object("v1", "Service", KubeNames.Label($"{context.Id}-{service.Name}-nodeport"), context.Labels(pod: pod.Name, service: service.Name));
        obj["spec"] = new JsonObject { ["type"] = "NodePort", ["selector"] = context.Selector(pod.Name), ["ports"] = ports };
        yield return obj;
    }
}
