using System.Globalization;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;
using Slipway.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Kubernetes;

/// <summary>Reads the Kubernetes keys of spec.yml (laconic-so's keys) with file:line:column errors.</summary>
internal static class KubernetesSpecParser
{
    private static readonly string[] ExternalKeys = ["host", "ip", "selector", "namespace", "port"];

    private static readonly string[] ResourceSides = ["reservations", "limits"];
    private static readonly string[] AmountKeys = ["cpus", "memory"];
    private static readonly string[] SecurityKeys = ["privileged", "capabilities", "runtime-class", "unlimited-memlock"];
    private static readonly string[] ProxyKeys = ["host-name", "routes"];
    private static readonly string[] RouteKeys = ["path", "proxy-to"];
    private static readonly string[] PullPolicies = ["Always", "IfNotPresent", "Never"];

    public static KubernetesSpec Parse(YamlMap map, YamlMap? network, DeployTarget target)
    {
        var diagnostics = map.Diagnostics;
        var caddyImage = Located(map, "caddy-ingress-image");
        var acmeEmail = network is null ? null : Located(network, "acme-email");
        WarnAboutCaddyKeys(map, network, target, caddyImage, acmeEmail);

        if (map.String("namespace") is { } ns && !KubeNames.IsDnsLabel(ns))
        {
            diagnostics.Error(DiagnosticCodes.InvalidName, $"namespace '{ns}' is not a valid Kubernetes namespace: lowercase letters, digits and '-', at most 63 characters", map.ValueLocation("namespace"));
        }

        var replicas = map.Int("replicas", 0, 1000) ?? 1;
        var pullPolicy = Located(map, "image-pull-policy");
        if (pullPolicy is not null && !PullPolicies.Contains(pullPolicy.Value))
        {
            diagnostics.Error(DiagnosticCodes.InvalidValue, $"image-pull-policy must be one of {string.Join(", ", PullPolicies)}, not '{pullPolicy.Value}'", pullPolicy.Location, DidYouMean.Hint(pullPolicy.Value, PullPolicies));
        }

        var clusterName = Located(map, "kind-cluster-name");
        if (clusterName is not null && !KubeNames.IsDnsLabel(clusterName.Value))
        {
            diagnostics.Error(DiagnosticCodes.InvalidName, $"kind-cluster-name '{clusterName.Value}' is not valid: lowercase letters, digits and '-'", clusterName.Location);
        }

        var mountRoot = Located(map, "kind-mount-root");
        if (mountRoot is not null && !Path.IsPathRooted(StackResolver.ExpandHome(mountRoot.Value)))
        {
            diagnostics.Error(DiagnosticCodes.InvalidValue, $"kind-mount-root '{mountRoot.Value}' must be an absolute host path", mountRoot.Location);
        }

        return new KubernetesSpec
        {
            Resources = ParseResources(map),
            Security = ParseSecurity(map, target),
            Annotations = ParseMetadata(map, "annotations", labels: false),
            Labels = ParseMetadata(map, "labels", labels: true),
            Replicas = replicas,
            NodeAffinities = ParseAffinities(map),
            NodeTolerations = ParseTolerations(map),
            HttpProxy = network is null ? [] : ParseHttpProxy(network, target),
            Secrets = ParseSecrets(map),
            ExternalServices = ParseExternalServices(map, target),
            ConfigMaps = ParseConfigMaps(map),
            CaCertificates = map.StringList("ca-certificates").Select(c => new Located<string>(c.Value, c.Location)).ToList(),
            MaintenanceService = ParseMaintenance(map, target),
            KindClusterName = clusterName,
            KindMountRoot = mountRoot,
            ImagePullPolicy = pullPolicy,
            CaddyIngressImage = caddyImage,
            AcmeEmail = acmeEmail,
        };
    }

    /// <summary>
    /// caddy-ingress-image and acme-email configure the Caddy ingress Slipway installs on k8s-kind for a deployment with
    /// http-proxy. Anywhere else they do nothing, and say so: on k8s the ingress controller and the certificate issuer
    /// are the cluster operator's; on kind without http-proxy no Ingress is rendered, so Caddy is not installed.
    /// </summary>
    private static void WarnAboutCaddyKeys(YamlMap map, YamlMap? network, DeployTarget target, Located<string>? image, Located<string>? email)
    {
        var diagnostics = map.Diagnostics;
        if (image is not null && (image.Value.Length == 0 || image.Value.Any(char.IsWhiteSpace)))
        {
            diagnostics.Error(DiagnosticCodes.InvalidValue, $"caddy-ingress-image '{image.Value}' is not an image reference", image.Location, "e.g. caddy-ingress-image: ghcr.io/laconicnetwork/caddy-ingress:v1.2");
        }

        if (email is not null && !email.Value.Contains('@', StringComparison.Ordinal))
        {
            diagnostics.Error(DiagnosticCodes.InvalidValue, $"network.acme-email '{email.Value}' is not an e-mail address", email.Location);
        }

        if (target == DeployTarget.K8s)
        {
            if (image is not null)
            {
                diagnostics.Warning(DiagnosticCodes.NotApplicable, "'caddy-ingress-image' has no effect on deploy-to k8s: Slipway installs the Caddy ingress controller only into the kind cluster of a k8s-kind deployment; on k8s the ingress controller is the cluster operator's, so set the image in its own Deployment", map.KeyLocation("caddy-ingress-image"));
            }

            if (email is not null)
            {
                diagnostics.Warning(DiagnosticCodes.NotApplicable, "'network.acme-email' has no effect on deploy-to k8s: the Ingress asks cert-manager's ClusterIssuer letsencrypt-prod for certificates, so set the e-mail in that issuer (spec.acme.email)", network!.KeyLocation("acme-email"));
            }
        }
        else if (target == DeployTarget.K8sKind && network?.Has("http-proxy") != true)
        {
            foreach (var (key, at) in new[] { ("caddy-ingress-image", image is null ? null : map.KeyLocation("caddy-ingress-image")), ("network.acme-email", email is null ? null : network!.KeyLocation("acme-email")) })
            {
                if (at is not null) diagnostics.Warning(DiagnosticCodes.NotApplicable, $"'{key}' has no effect without network.http-proxy: Slipway installs the Caddy ingress controller only for a deployment with an Ingress", at);
            }
        }
    }

    private static ResourcesSpec ParseResources(YamlMap map)
    {
        if (map.Map("resources", "'resources'") is not { } resources) return new ResourcesSpec();
        resources.RejectUnknownKeys(["containers", "volumes"]);
        ContainerResources? global = null;
        var perContainer = new Dictionary<string, Located<ContainerResources>>(StringComparer.Ordinal);
        if (resources.Map("containers", "'resources.containers'") is { } containers)
        {
            global = ParseSides(containers, "resources.containers", allowOthers: true);
            foreach (var name in containers.Keys.Where(k => !ResourceSides.Contains(k)))
            {
                if (containers.Map(name, $"'resources.containers.{name}'") is { } one)
                {
                    one.RejectUnknownKeys(ResourceSides);
                    perContainer[name] = new Located<ContainerResources>(ParseSides(one, $"resources.containers.{name}", allowOthers: false) ?? ContainerResources.None, containers.KeyLocation(name)!);
                }
            }
        }

        string? storage = null;
        var perVolume = new Dictionary<string, Located<string>>(StringComparer.Ordinal);
        if (resources.Map("volumes", "'resources.volumes'") is { } volumes)
        {
            storage = Storage(volumes, "resources.volumes");
            foreach (var name in volumes.Keys.Where(k => k != "reservations"))
            {
                if (volumes.Map(name, $"'resources.volumes.{name}'") is { } one)
                {
                    one.RejectUnknownKeys(["reservations"]);
                    if (Storage(one, $"resources.volumes.{name}") is { } s) perVolume[name] = new Located<string>(s, volumes.KeyLocation(name)!);
                }
            }
        }

        return new ResourcesSpec { Containers = global, PerContainer = perContainer, VolumeStorage = storage, PerVolumeStorage = perVolume };
    }

    private static ContainerResources? ParseSides(YamlMap map, string context, bool allowOthers)
    {
        if (!ResourceSides.Any(map.Has)) return null;
        return new ContainerResources(Amounts(map, "reservations", context), Amounts(map, "limits", context));
    }

    private static ResourceAmounts Amounts(YamlMap map, string side, string context)
    {
        if (map.Map(side, $"'{context}.{side}'") is not { } amounts) return new ResourceAmounts(null, null);
        amounts.RejectUnknownKeys(AmountKeys);
        string? cpu = null, memory = null;
        if (amounts.String("cpus") is { } c)
        {
            cpu = Quantities.Cpu(c, out var error);
            if (error is not null) map.Diagnostics.Error(DiagnosticCodes.InvalidValue, $"{context}.{side}.cpus: {error}", amounts.ValueLocation("cpus"));
        }

        if (amounts.String("memory") is { } m)
        {
            memory = Quantities.Memory(m, out var error);
            if (error is not null) map.Diagnostics.Error(DiagnosticCodes.InvalidValue, $"{context}.{side}.memory: {error}", amounts.ValueLocation("memory"));
        }

        return new ResourceAmounts(cpu, memory);
    }

    private static string? Storage(YamlMap map, string context)
    {
        if (map.Map("reservations", $"'{context}.reservations'") is not { } reservations) return null;
        reservations.RejectUnknownKeys(["storage"]);
        if (reservations.String("storage") is not { } text) return null;
        var value = Quantities.Memory(text, out var error);
        if (error is not null) map.Diagnostics.Error(DiagnosticCodes.InvalidValue, $"{context}.reservations.storage: {error}", reservations.ValueLocation("storage"));
        return value;
    }

    private static SecuritySpec ParseSecurity(YamlMap map, DeployTarget target)
    {
        if (map.Map("security", "'security'") is not { } security) return new SecuritySpec();
        security.RejectUnknownKeys(SecurityKeys);
        var memlock = security.Bool("unlimited-memlock") == true ? security.KeyLocation("unlimited-memlock") : null;
        if (memlock is not null && target == DeployTarget.K8s)
        {
            // Only a kind cluster's node config is Slipway's to write; a real cluster's nodes are the operator's.
            map.Diagnostics.Warning(DiagnosticCodes.NotApplicable,
                "'security.unlimited-memlock' on deploy-to k8s: the pods ask for RuntimeClass 'high-memlock', which Slipway does not create on a cluster it does not manage; the nodes' containerd needs a runtime 'high-memlock' whose base_runtime_spec sets RLIMIT_MEMLOCK unlimited, and a RuntimeClass of that name with that handler",
                memlock, "deploy create writes the runtime spec to D/high-memlock-spec.json for the nodes");
        }

        var capabilities = security.StringList("capabilities");
        foreach (var (cap, at) in capabilities.Where(c => !System.Text.RegularExpressions.Regex.IsMatch(c.Value, @"^[A-Z_]+\z")))
        {
            map.Diagnostics.Error(DiagnosticCodes.InvalidValue, $"capability '{cap}' must be an uppercase Linux capability name such as NET_ADMIN", at);
        }

        var runtimeClass = security.String("runtime-class");
        if (runtimeClass is not null && !KubeNames.IsDnsSubdomain(runtimeClass))
        {
            map.Diagnostics.Error(DiagnosticCodes.InvalidName, $"runtime-class '{runtimeClass}' is not a valid RuntimeClass name", security.ValueLocation("runtime-class"));
        }

        return new SecuritySpec
        {
            Privileged = security.Bool("privileged") ?? false,
            Capabilities = capabilities.Select(c => c.Value.StartsWith("CAP_", StringComparison.Ordinal) ? c.Value[4..] : c.Value).ToList(),
            RuntimeClass = runtimeClass,
            UnlimitedMemlock = memlock,
        };
    }

    /// <summary>Pod template annotations or labels; <c>{name}</c> in a key stands for each service of the pod.</summary>
    private static List<KeyValuePair<string, Located<string>>> ParseMetadata(YamlMap map, string key, bool labels)
    {
        var list = new List<KeyValuePair<string, Located<string>>>();
        if (map.Map(key, $"'{key}'") is not { } entries) return list;
        foreach (var name in entries.Keys)
        {
            var value = entries.ScalarText(entries.Get(name)!, $"{key} '{name}'") ?? "";
            if (!KubeNames.IsQualifiedName(name.Replace("{name}", "x", StringComparison.Ordinal)))
            {
                map.Diagnostics.Error(DiagnosticCodes.InvalidName, $"{key} key '{name}' is not a valid Kubernetes key ([prefix/]name, name at most 63 of letters, digits, '-', '_', '.')", entries.KeyLocation(name));
            }
            else if (name.StartsWith(SlipwayLabels.ReservedPrefix, StringComparison.Ordinal) || name.StartsWith(SlipwayLabels.ManagedByLabel, StringComparison.Ordinal))
            {
                map.Diagnostics.Error(DiagnosticCodes.Conflict, $"{key} key '{name}' is reserved: Slipway sets it itself", entries.KeyLocation(name));
            }

            if (labels && !KubeNames.IsLabelValue(value))
            {
                map.Diagnostics.Error(DiagnosticCodes.InvalidValue, $"label value '{value}' is not valid: at most 63 of letters, digits, '-', '_', '.', starting and ending with a letter or digit", entries.ValueLocation(name));
            }

            list.Add(new(name, new Located<string>(value, entries.KeyLocation(name)!)));
        }

        return list;
    }

    private static List<NodeAffinity> ParseAffinities(YamlMap map)
    {
        var list = new List<NodeAffinity>();
        foreach (var item in Items(map, "node-affinities", "a node affinity"))
        {
            item.RejectUnknownKeys(["label", "value"]);
            var label = Required(item, "label", "a node affinity");
            var value = Required(item, "value", "a node affinity");
            if (label is not null && !KubeNames.IsQualifiedName(label))
            {
                map.Diagnostics.Error(DiagnosticCodes.InvalidName, $"node label '{label}' is not a valid label key", item.ValueLocation("label"));
            }

            if (label is not null && value is not null) list.Add(new NodeAffinity(label, value, item.Location));
        }

        return list;
    }

    private static List<NodeToleration> ParseTolerations(YamlMap map)
    {
        var list = new List<NodeToleration>();
        string[] effects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];
        foreach (var item in Items(map, "node-tolerations", "a node toleration"))
        {
            item.RejectUnknownKeys(["key", "value", "effect"]);
            var key = Required(item, "key", "a node toleration");
            var effect = item.String("effect") ?? "NoSchedule";
            if (!effects.Contains(effect))
            {
                map.Diagnostics.Error(DiagnosticCodes.InvalidValue, $"toleration effect must be one of {string.Join(", ", effects)}, not '{effect}'", item.ValueLocation("effect"), DidYouMean.Hint(effect, effects));
            }

            if (key is not null) list.Add(new NodeToleration(key, item.String("value"), effect, item.Location));
        }

        return list;
    }

    private static List<HttpProxyHost> ParseHttpProxy(YamlMap network, DeployTarget target)
    {
        var list = new List<HttpProxyHost>();
        var diagnostics = network.Diagnostics;
        foreach (var entry in Items(network, "http-proxy", "an http-proxy entry"))
        {
            entry.RejectUnknownKeys(ProxyKeys);
            var host = Required(entry, "host-name", "an http-proxy entry");
            if (host is not null && !KubeNames.IsDnsSubdomain(host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host))
            {
                diagnostics.Error(DiagnosticCodes.InvalidName, $"host-name '{host}' is not a valid DNS name (lowercase)", entry.ValueLocation("host-name"));
            }

            var routes = new List<ProxyRoute>();
            foreach (var route in Items(entry, "routes", "a route"))
            {
                route.RejectUnknownKeys(RouteKeys);
                var path = route.String("path") ?? "/";
                if (!path.StartsWith('/'))
                {
                    diagnostics.Error(DiagnosticCodes.InvalidValue, $"route path '{path}' must start with '/'", route.ValueLocation("path"));
                }

                var to = Required(route, "proxy-to", "a route");
                if (to is null) continue;
                var colon = to.LastIndexOf(':');
                if (colon <= 0 || !int.TryParse(to[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
                {
                    diagnostics.Error(DiagnosticCodes.InvalidValue, $"proxy-to '{to}' must read SERVICE:PORT (a compose service of the stack and its container port)", route.ValueLocation("proxy-to"));
                    continue;
                }

                routes.Add(new ProxyRoute(path, to[..colon], port, route.ValueLocation("proxy-to")!));
            }

            if (routes.Count == 0 && host is not null && target.IsKubernetes())
            {
                diagnostics.Warning(DiagnosticCodes.InvalidValue, $"http-proxy entry '{host}' has no routes; it makes no Ingress rule", entry.Location);
            }

            if (host is not null) list.Add(new HttpProxyHost(host, routes, entry.Location));
        }

        return list;
    }

    /// <summary>
    /// external-services: {NAME: {host: H | ip: A.B.C.D | selector: {k: v}, namespace: NS, port: P}}, laconic-so's form;
    /// the port defaults to 443 as there.
    /// </summary>
    private static List<ExternalServiceSpec> ParseExternalServices(YamlMap map, DeployTarget target)
    {
        var list = new List<ExternalServiceSpec>();
        if (map.Map("external-services", "'external-services'") is not { } services) return list;
        foreach (var name in services.Keys)
        {
            var at = services.KeyLocation(name)!;
            if (services.Map(name, $"'external-services.{name}'") is not { } one) continue;
            one.RejectUnknownKeys(ExternalKeys);
            if (!KubeNames.IsDns1035Label(name))
            {
                map.Diagnostics.Error(DiagnosticCodes.InvalidName, $"external service name '{name}' is not a valid Kubernetes Service name (lowercase letters, digits and '-', starting with a letter)", at);
            }

            var host = one.String("host");
            var ip = one.String("ip");
            var selector = one.Has("selector");
            if ((host is null ? 0 : 1) + (ip is null ? 0 : 1) + (selector ? 1 : 0) != 1)
            {
                map.Diagnostics.Error(DiagnosticCodes.InvalidValue, $"external-services.{name} needs exactly one of 'host' (a DNS name), 'ip' (an IPv4 address) or 'selector'", at);
                continue;
            }

            if (host is not null && !KubeNames.IsDnsSubdomain(host.TrimEnd('.').ToLowerInvariant()))
            {
                map.Diagnostics.Error(DiagnosticCodes.InvalidValue, $"external-services.{name}.host '{host}' is not a DNS name", one.ValueLocation("host"));
            }

            if (ip is not null && !(System.Net.IPAddress.TryParse(ip, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && ip.Count(c => c == '.') == 3))
            {
                map.Diagnostics.Error(DiagnosticCodes.InvalidValue, $"external-services.{name}.ip '{ip}' is not an IPv4 address", one.ValueLocation("ip"));
            }

            var labels = new List<KeyValuePair<string, string>>();
            string? selectorNamespace = null;
            if (selector)
            {
                if (one.Map("selector", $"'external-services.{name}.selector'") is { } pairs)
                {
                    foreach (var key in pairs.Keys)
                    {
                        if (pairs.ScalarText(pairs.Get(key)!, $"selector label '{key}'") is { } value) labels.Add(new(key, value));
                    }
                }

                selectorNamespace = one.String("namespace");
                if (labels.Count == 0 || selectorNamespace is null)
                {
                    map.Diagnostics.Error(DiagnosticCodes.MissingKey, $"external-services.{name}: the selector form needs 'selector' (at least one label: value) and 'namespace' (where those pods run)", at);
                }
                else if (!KubeNames.IsDnsLabel(selectorNamespace))
                {
                    map.Diagnostics.Error(DiagnosticCodes.InvalidName, $"external-services.{name}.namespace '{selectorNamespace}' is not a valid namespace", one.ValueLocation("namespace"));
                }
            }

            list.Add(new ExternalServiceSpec(name, host?.TrimEnd('.').ToLowerInvariant(), ip, selector, one.Int("port", 1, 65535) ?? 443, at)
            {
                SelectorLabels = labels,
                SelectorNamespace = selectorNamespace,
            });
        }

        return list;
    }

    /// <summary><c>maintenance-service: SERVICE:PORT</c>, the form of a proxy-to.</summary>
    private static ProxyRoute? ParseMaintenance(YamlMap map, DeployTarget target)
    {
        if (map.String("maintenance-service") is not { } text) return null;
        var at = map.ValueLocation("maintenance-service")!;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            map.Diagnostics.Error(DiagnosticCodes.InvalidValue, $"maintenance-service '{text}' must read SERVICE:PORT (the compose service that answers while the others restart, and its port)", at);
            return null;
        }

        return target.IsKubernetes() ? new ProxyRoute("/", text[..colon], port, at) : null;
    }

    private static List<SecretRefSpec> ParseSecrets(YamlMap map)
    {
        var list = new List<SecretRefSpec>();
        if (map.Map("secrets", "'secrets'") is not { } secrets) return list;
        foreach (var name in secrets.Keys)
        {
            if (!KubeNames.IsDnsSubdomain(name))
            {
                map.Diagnostics.Error(DiagnosticCodes.InvalidName, $"secret name '{name}' is not a valid Kubernetes Secret name (lowercase letters, digits, '-', '.')", secrets.KeyLocation(name));
            }

            var keys = secrets.StringList(name);
            foreach (var (key, at) in keys.Where(k => !Names.IsValidEnvName(k.Value)))
            {
                map.Diagnostics.Error(DiagnosticCodes.InvalidName, $"secret key '{key}' cannot be an environment variable name (letters, digits and '_')", at);
            }

            list.Add(new SecretRefSpec(name, keys.Select(k => k.Value).ToList(), secrets.KeyLocation(name)!));
        }

        return list;
    }

    private static List<ConfigMapSpec> ParseConfigMaps(YamlMap map)
    {
        var list = new List<ConfigMapSpec>();
        if (map.Map("configmaps", "'configmaps'") is not { } configmaps) return list;
        foreach (var name in configmaps.Keys)
        {
            if (!KubeNames.IsDnsLabel(name.Replace('_', '-')) || !Names.IsValidComponentName(name))
            {
                map.Diagnostics.Error(DiagnosticCodes.InvalidName, $"configmap name '{name}' is not valid: letters, digits, '-' and '_'", configmaps.KeyLocation(name));
            }

            var source = configmaps.ScalarText(configmaps.Get(name)!, $"configmap '{name}'") ?? $"./configmaps/{name}";
            list.Add(new ConfigMapSpec(name, source, configmaps.KeyLocation(name)!));
        }

        return list;
    }

    private static IEnumerable<YamlMap> Items(YamlMap map, string key, string what)
    {
        if (map.Sequence(key) is not { } items) yield break;
        foreach (var item in items)
        {
            if (item is YamlMappingNode mapping)
            {
                yield return new YamlMap(mapping, map.File, map.Diagnostics, what);
            }
            else
            {
                map.Diagnostics.Error(DiagnosticCodes.WrongType, $"each item of '{key}' must be a mapping", item.At(map.File));
            }
        }
    }

    private static string? Required(YamlMap map, string key, string what)
    {
        var value = map.String(key);
        if (value is null) map.Diagnostics.Error(DiagnosticCodes.MissingKey, $"{what} needs '{key}'", map.Location);
        return value;
    }

    private static Located<string>? Located(YamlMap map, string key) =>
        map.String(key) is { } value ? new Located<string>(value, map.ValueLocation(key)!) : null;
}
