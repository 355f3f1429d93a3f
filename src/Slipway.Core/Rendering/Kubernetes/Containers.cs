using System.Globalization;
using System.Text.Json.Nodes;
using Slipway.Core.Compose;
using Slipway.Core.Diagnostics;
using Slipway.Core.Kubernetes;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;
using Slipway.Core.Verification;

namespace Slipway.Core.Rendering.Kubernetes;

/// <summary>A compose service as a container: image, command, environment, ports, mounts, resources, probe and security context.</summary>
internal static class Containers
{
    public static JsonObject Container(RenderContext context, StackComposeFile file, ComposeService service, JsonObject volumes, ConfigHash hash)
    {
        var spec = context.Spec;
        var container = new JsonObject { ["name"] = KubeNames.Label(service.Name) };
        var overridden = spec.ImageOverrides.TryGetValue(service.Name, out var imageOverride);
        var image = overridden ? imageOverride!.Value : service.Image is { } i ? context.Interpolate(i) : null;
        if (string.IsNullOrEmpty(image))
        {
            context.Diagnostics.Error(DiagnosticCodes.MissingKey, $"service '{service.Name}' has no image; Kubernetes cannot build, it pulls", service.Location,
                $"add 'image:' to the service, or image-overrides: {{{service.Name}: IMAGE}} to the spec");
            image = "missing";
        }

        container["image"] = KubernetesRenderer.ResolveImage(image, spec, overridden);
        container["imagePullPolicy"] = spec.Kubernetes.ImagePullPolicy?.Value ?? (spec.DeployTo == DeployTarget.K8sKind ? "IfNotPresent" : "Always");
        if (Words(context, service.Entrypoint) is { } command) container["command"] = command;
        if (Words(context, service.Command) is { } args) container["args"] = args;
        if (service.WorkingDir is { } workdir) container["workingDir"] = context.Interpolate(workdir);

        if (ContainerEnvironment.Entries(context, file, service, hash) is { Count: > 0 } env) container["env"] = env;
        var envFrom = spec.Kubernetes.Secrets.Where(s => s.Keys.Count == 0)
            .Select(s => (JsonNode)new JsonObject { ["secretRef"] = new JsonObject { ["name"] = s.Name, ["optional"] = true } }).ToArray();
        if (envFrom.Length > 0) container["envFrom"] = new JsonArray(envFrom);

        if (Ports(context, service) is { Count: > 0 } ports) container["ports"] = ports;
        if (VolumeMounts.Mounts(context, file, service, volumes, hash) is { Count: > 0 } mounts) container["volumeMounts"] = mounts;
        if (Resources(context, service) is { } resources) container["resources"] = resources;
        if (service.Healthcheck is { IsDisabled: false } check)
        {
            container["readinessProbe"] = HealthProbe(context, service, check);
        }
        else if (service.Healthcheck is null && context.ProxyPorts(service.Name).FirstOrDefault() is var probePort and > 0)
        {
            container["readinessProbe"] = new JsonObject
            {
                ["tcpSocket"] = new JsonObject { ["port"] = probePort },
                ["initialDelaySeconds"] = 5,
                ["periodSeconds"] = 10,
                ["failureThreshold"] = 3,
            };
        }

        if (SecurityContext(context, service) is { Count: > 0 } security) container["securityContext"] = security;
        CaCertificates.Mount(context, container, volumes, hash);
        return container;
    }

    /// <summary>
    /// A compose healthcheck as an exec readiness probe: interval → periodSeconds, timeout → timeoutSeconds, retries →
    /// failureThreshold, start_period → initialDelaySeconds (compose defaults: 30s, 30s, 3, 0s). A pod is then ready
    /// when compose would call it healthy, which verify waits for.
    /// </summary>
    private static JsonObject HealthProbe(RenderContext context, ComposeService service, ComposeHealthcheck check)
    {
        int Seconds(string? text, int fallback, string key)
        {
            if (text is null) return fallback;
            if (Durations.TryParse(context.Interpolate(text), out var d)) return Math.Max(1, (int)Math.Ceiling(d.TotalSeconds));
            context.Diagnostics.Warning(DiagnosticCodes.InvalidValue, $"service '{service.Name}': healthcheck {key} '{text}' is not a duration; the probe uses {fallback}s", service.Location);
            return fallback;
        }

        var retries = check.Retries is { } r && int.TryParse(context.Interpolate(r), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 3;
        var probe = new JsonObject
        {
            ["exec"] = new JsonObject { ["command"] = new JsonArray(check.Command.Select(w => (JsonNode)ContainerEnvironment.EscapeKube(context.Interpolate(w))).ToArray()) },
            ["periodSeconds"] = Seconds(check.Interval, 30, "interval"),
            ["timeoutSeconds"] = Seconds(check.Timeout, 30, "timeout"),
            ["failureThreshold"] = retries,
        };
        if (check.StartPeriod is not null) probe["initialDelaySeconds"] = Seconds(check.StartPeriod, 0, "start_period");
        return probe;
    }

    /// <summary>Every (port, protocol) of a service's target ports, one port per entry of a range.</summary>
    public static IEnumerable<(int Port, string Protocol)> Targets(PortSpec port) =>
        Enumerable.Range(port.Target.Start, port.Target.Length).Select(p => (p, port.Protocol));

    /// <summary>Entrypoint or command words, each interpolated and escaped.</summary>
    private static JsonArray? Words(RenderContext context, IReadOnlyList<string>? words) =>
        words is null ? null : new JsonArray(words.Select(w => (JsonNode)ContainerEnvironment.EscapeKube(context.Interpolate(w))).ToArray());

    private static JsonArray Ports(RenderContext context, ComposeService service) =>
        new(ContainerPorts(context, service).Select(p => (JsonNode)new JsonObject { ["containerPort"] = p.Port, ["protocol"] = p.Protocol.ToUpperInvariant() }).ToArray());

    /// <summary>The (port, protocol) pairs a service's container listens on: its ports, expose and proxy targets, each once.</summary>
    public static IReadOnlyList<(int Port, string Protocol)> ContainerPorts(RenderContext context, ComposeService service)
    {
        var ports = new List<(int, string)>();
        var seen = new HashSet<(int, string)>();
        foreach (var (port, protocol) in context.EffectivePorts(service).SelectMany(p => Targets(p)).Concat(Exposed(context, service)).Concat(context.ProxyPorts(service.Name).Select(p => (p, "tcp"))))
        {
            // compose may list 8001 and 8001/udp, or a port twice: one containerPort per (port, protocol).
            if (seen.Add((port, protocol))) ports.Add((port, protocol));
        }

        return ports;
    }

    private static IEnumerable<(int, string)> Exposed(RenderContext context, ComposeService service)
    {
        foreach (var item in service.Expose)
        {
            if (PortSpec.TryParse(context.Interpolate(item), out var port, out _) && port.Published is null)
            {
                foreach (var t in Targets(port)) yield return t;
            }
        }
    }

    private static JsonObject? Resources(RenderContext context, ComposeService service)
    {
        var spec = context.Spec.Kubernetes.Resources;
        var resources = spec.Containers ?? ContainerResources.None;
        resources = resources.Under(ComposeResources(context, service));
        if (spec.PerContainer.TryGetValue(service.Name, out var own)) resources = resources.Under(own.Value);
        var result = new JsonObject();
        if (Amounts(resources.Requests) is { } requests) result["requests"] = requests;
        if (Amounts(resources.Limits) is { } limits) result["limits"] = limits;
        return result.Count == 0 ? null : result;
    }

    private static JsonObject? Amounts(ResourceAmounts amounts)
    {
        if (amounts.IsEmpty) return null;
        var obj = new JsonObject();
        if (amounts.Cpu is not null) obj["cpu"] = amounts.Cpu;
        if (amounts.Memory is not null) obj["memory"] = amounts.Memory;
        return obj;
    }

    /// <summary>compose <c>deploy.resources</c>: limits and reservations of cpus and memory (Docker units).</summary>
    private static ContainerResources? ComposeResources(RenderContext context, ComposeService service)
    {
        if (service.Resources is not { } resources) return null;
        ResourceAmounts Side(ComposeResourceAmounts side)
        {
            string? cpu = side.Cpus is { } c ? Quantities.Cpu(c, out var e1) ?? Report(e1) : null;
            string? memory = side.Memory is { } m ? Quantities.DockerMemory(m, out var e2) ?? Report(e2) : null;
            return new ResourceAmounts(cpu, memory);
        }

        string? Report(string? error)
        {
            context.Diagnostics.Error(DiagnosticCodes.InvalidValue, $"service '{service.Name}' deploy.resources: {error}", service.Location);
            return null;
        }

        return new ContainerResources(Side(resources.Reservations), Side(resources.Limits));
    }

    private static JsonObject SecurityContext(RenderContext context, ComposeService service)
    {
        var security = new JsonObject();
        var spec = context.Spec.Kubernetes.Security;
        if (spec.Privileged || service.Privileged) security["privileged"] = true;
        if (service.User is { } user)
        {
            // "1000" or "1000:1000"; names cannot be resolved outside the image.
            // root is UID/GID 0 in every image; other names stay refused.
            var parts = context.Interpolate(user).Split(':').Select(p => p == "root" ? "0" : p).ToArray();
            if (parts.Length <= 2 && parts.All(p => long.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                security["runAsUser"] = long.Parse(parts[0], CultureInfo.InvariantCulture);
                if (parts.Length == 2) security["runAsGroup"] = long.Parse(parts[1], CultureInfo.InvariantCulture);
            }
            else
            {
                context.Diagnostics.Error(DiagnosticCodes.InvalidValue, $"service '{service.Name}': user '{user}' must be numeric (UID or UID:GID) on Kubernetes, which cannot look names up in the image", service.Location);
            }
        }

        var capabilities = spec.Capabilities.Concat(service.CapAdd.Select(WithoutCapPrefix)).ToList();
        var drop = service.CapDrop.Select(WithoutCapPrefix).Distinct().ToList();
        if (capabilities.Count > 0 || drop.Count > 0)
        {
            var caps = new JsonObject();
            if (capabilities.Count > 0) caps["add"] = new JsonArray(capabilities.Distinct().Select(c => (JsonNode)c).ToArray());
            if (drop.Count > 0) caps["drop"] = new JsonArray(drop.Select(c => (JsonNode)c).ToArray());
            security["capabilities"] = caps;
        }

        return security;
    }

    private static string WithoutCapPrefix(string capability) =>
        capability.StartsWith("CAP_", StringComparison.Ordinal) ? capability[4..] : capability;
}
