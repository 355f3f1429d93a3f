using System.Text.Json.Nodes;
using Slipway.Core.Kubernetes;

namespace Slipway.Core.Rendering.Kubernetes;

/// <summary>
/// Rules every rendered set of objects must satisfy, checked on the output (not on the renderer's intent): valid
/// names and labels, Slipway's labels everywhere, selectors that select their pods, every reference rendered
/// (ConfigMaps and their keys, Secrets, claims, volumes, Service ports), no duplicates. Pure; returns the violations.
/// </summary>
internal static class KubernetesInvariants
{
    private static readonly string[] RequiredLabels = [SlipwayLabels.ManagedByLabel, SlipwayLabels.DeploymentIdLabel, SlipwayLabels.StackLabel];

    /// <param name="objects">Objects applied at start.</param>
    /// <param name="jobObjects">Objects of the job files (they may use what <paramref name="objects"/> declares).</param>
    /// <param name="externalSecrets">Secrets made elsewhere: the registry pull secret (at apply), spec secrets, TLS secrets.</param>
    public static IReadOnlyList<string> Check(IReadOnlyList<JsonObject> objects, IReadOnlyList<JsonObject> jobObjects, IReadOnlySet<string> externalSecrets)
    {
        var errors = new List<string>();
        var all = objects.Concat(jobObjects).ToList();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var namespaces = all.Where(o => Kind(o) == "Namespace").Select(Name).ToList();
        if (namespaces.Count != 1) errors.Add($"expected exactly one Namespace, found {namespaces.Count}");
        var ns = namespaces.FirstOrDefault();

        foreach (var obj in all)
        {
            var kind = Kind(obj);
            var name = Name(obj);
            var id = $"{kind} {name}";
            if (obj["apiVersion"] is null) errors.Add($"{id}: no apiVersion");
            if (!keys.Add($"{kind}/{(string?)obj["metadata"]?["namespace"]}/{name}")) errors.Add($"{id}: declared twice");
            var validName = kind == "Service" ? KubeNames.IsDns1035Label(name) : KubeNames.IsDnsLabel(name);
            if (!validName) errors.Add($"{id}: name is not a valid {(kind == "Service" ? "RFC 1035" : "RFC 1123")} label of at most 63 characters");
            var objectNamespace = (string?)obj["metadata"]?["namespace"];
            if (kind is "Namespace" or "PersistentVolume" or "RuntimeClass")
            {
                if (objectNamespace is not null) errors.Add($"{id}: a cluster-scoped object has a namespace");
            }
            else if (objectNamespace != ns)
            {
                errors.Add($"{id}: namespace '{objectNamespace}' is not the deployment's namespace '{ns}'");
            }

            CheckLabels(obj["metadata"]?["labels"] as JsonObject, id, errors, required: true);
            CheckAnnotations(obj["metadata"]?["annotations"] as JsonObject, id, errors);
            if (obj["spec"]?["template"] is JsonObject template)
            {
                var labels = template["metadata"]?["labels"] as JsonObject;
                CheckLabels(labels, id + " pod template", errors, required: true);
                CheckAnnotations(template["metadata"]?["annotations"] as JsonObject, id + " pod template", errors);
                if (labels?[kind == "Job" ? SlipwayLabels.JobLabel : SlipwayLabels.PodLabel] is null)
                {
                    errors.Add($"{id}: pod template has no {(kind == "Job" ? SlipwayLabels.JobLabel : SlipwayLabels.PodLabel)} label");
                }

                if (template["metadata"]?["annotations"]?[SlipwayLabels.ConfigHashAnnotation] is null)
                {
                    errors.Add($"{id}: pod template has no {SlipwayLabels.ConfigHashAnnotation} annotation");
                }

                if (kind == "Deployment")
                {
                    var selector = obj["spec"]?["selector"]?["matchLabels"] as JsonObject;
                    if (selector is null || selector.Count == 0) errors.Add($"{id}: no selector");
                    else if (!Matches(selector, labels)) errors.Add($"{id}: selector does not match the pod template's labels");
                    CheckReachableByName(template["spec"] as JsonObject, labels, id, all, errors);
                }

                CheckPod(template["spec"] as JsonObject, id, all, externalSecrets, errors);
            }

            switch (kind)
            {
                case "Service":
                    CheckService(obj, id, all, errors);
                    break;
                case "Ingress":
                    CheckIngress(obj, id, all, errors);
                    break;
                case "PersistentVolumeClaim":
                    if ((string?)obj["spec"]?["volumeName"] is not { } pv) break;
                    var volume = Find(all, "PersistentVolume", pv);
                    if (volume is null) errors.Add($"{id}: binds PersistentVolume {pv}, which is not rendered");
                    else if ((string?)volume["spec"]?["claimRef"]?["name"] != name) errors.Add($"{id}: PersistentVolume {pv} is reserved for another claim");
                    break;
            }
        }

        return errors;
    }

    private static void CheckPod(JsonObject? pod, string id, List<JsonObject> all, IReadOnlySet<string> externalSecrets, List<string> errors)
    {
        if (pod is null)
        {
            errors.Add($"{id}: pod template has no spec");
            return;
        }

        var volumes = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var volume in (pod["volumes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = (string?)volume["name"] ?? "";
            if (!KubeNames.IsDnsLabel(name)) errors.Add($"{id}: volume name '{name}' is not a valid DNS label");
            if (!volumes.TryAdd(name, volume)) errors.Add($"{id}: volume '{name}' declared twice");
            if ((string?)volume["configMap"]?["name"] is { } cm && Find(all, "ConfigMap", cm) is null) errors.Add($"{id}: volume '{name}' uses ConfigMap {cm}, which is not rendered");
            if ((string?)volume["persistentVolumeClaim"]?["claimName"] is { } claim && Find(all, "PersistentVolumeClaim", claim) is null) errors.Add($"{id}: volume '{name}' uses PersistentVolumeClaim {claim}, which is not rendered");
            if ((string?)volume["secret"]?["secretName"] is { } secret && !SecretExists(all, externalSecrets, secret)) errors.Add($"{id}: volume '{name}' uses Secret {secret}, which is not rendered");
        }

        foreach (var pull in (pod["imagePullSecrets"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if ((string?)pull["name"] is { } secret && !SecretExists(all, externalSecrets, secret)) errors.Add($"{id}: imagePullSecret {secret} is neither rendered nor created at apply");
        }

        var containers = (pod["containers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (containers.Count == 0) errors.Add($"{id}: pod has no containers");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var container in containers)
        {
            var name = (string?)container["name"] ?? "";
            var cid = $"{id} container {name}";
            if (!KubeNames.IsDnsLabel(name)) errors.Add($"{cid}: name is not a valid DNS label");
            if (!names.Add(name)) errors.Add($"{cid}: two containers have this name");
            if (string.IsNullOrEmpty((string?)container["image"])) errors.Add($"{cid}: no image");
            var ports = new HashSet<string>(StringComparer.Ordinal);
            foreach (var port in (container["ports"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (!ports.Add($"{port["containerPort"]}/{port["protocol"]}")) errors.Add($"{cid}: containerPort {port["containerPort"]}/{port["protocol"]} listed twice");
            }

            foreach (var env in (container["env"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (env["valueFrom"]?["secretKeyRef"] is JsonObject reference)
                {
                    var secret = (string)reference["name"]!;
                    var key = (string)reference["key"]!;
                    var rendered = Find(all, "Secret", secret);
                    if (rendered is null && !externalSecrets.Contains(secret)) errors.Add($"{cid}: env {env["name"]} uses Secret {secret}, which is not rendered");
                    else if (rendered is not null && rendered["data"]?[key] is null) errors.Add($"{cid}: env {env["name"]} uses key {key}, which Secret {secret} does not have");
                }
            }

            foreach (var from in (container["envFrom"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if ((string?)from["secretRef"]?["name"] is { } secret && !SecretExists(all, externalSecrets, secret)) errors.Add($"{cid}: envFrom Secret {secret} is not rendered");
                if ((string?)from["configMapRef"]?["name"] is { } cm && Find(all, "ConfigMap", cm) is null) errors.Add($"{cid}: envFrom ConfigMap {cm} is not rendered");
            }

            foreach (var mount in (container["volumeMounts"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var volumeName = (string?)mount["name"] ?? "";
                if (!volumes.TryGetValue(volumeName, out var volume))
                {
                    errors.Add($"{cid}: mounts volume '{volumeName}', which the pod does not declare");
                    continue;
                }

                if ((string?)mount["subPath"] is { } subPath && (string?)volume["configMap"]?["name"] is { } cm && Find(all, "ConfigMap", cm) is { } configMap
                    && configMap["data"]?[subPath] is null && configMap["binaryData"]?[subPath] is null)
                {
                    errors.Add($"{cid}: mounts key '{subPath}' of ConfigMap {cm}, which it does not have");
                }

                if ((string?)mount["subPath"] is { } key && (string?)volume["secret"]?["secretName"] is { } secretName && Find(all, "Secret", secretName) is { } secret
                    && secret["data"]?[key] is null)
                {
                    errors.Add($"{cid}: mounts key '{key}' of Secret {secretName}, which it does not have");
                }
            }
        }
    }

    /// <summary>
    /// Every container with ports has a Service named as it (its compose service name) that selects this pod and exposes
    /// each of its ports, so the pods of other Deployments reach it by name as compose services reach each other.
    /// </summary>
    private static void CheckReachableByName(JsonObject? pod, JsonObject? labels, string id, List<JsonObject> all, List<string> errors)
    {
        foreach (var container in (pod?["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = (string?)container["name"] ?? "";
            var ports = (container["ports"] as JsonArray ?? []).OfType<JsonObject>().Select(p => $"{p["containerPort"]}/{p["protocol"]}").ToList();
            if (ports.Count == 0 || !KubeNames.IsDns1035Label(name)) continue;
            var service = Find(all, "Service", name);
            if (service is null)
            {
                errors.Add($"{id} container {name}: has ports but no Service named '{name}', so other pods cannot reach it by its name");
                continue;
            }

            if (service["spec"]?["selector"] is not JsonObject selector || !Matches(selector, labels)) errors.Add($"{id} container {name}: Service {name} does not select its pod");
            var exposed = (service["spec"]?["ports"] as JsonArray ?? []).OfType<JsonObject>()
                .Where(p => p["port"]?.ToJsonString() == p["targetPort"]?.ToJsonString()).Select(p => $"{p["targetPort"]}/{p["protocol"]}").ToHashSet(StringComparer.Ordinal);
            foreach (var port in ports.Where(p => !exposed.Contains(p))) errors.Add($"{id} container {name}: Service {name} does not expose port {port} as itself");
        }
    }

    private static void CheckService(JsonObject service, string id, List<JsonObject> all, List<string> errors)
    {
        if ((string?)service["spec"]?["type"] == "ExternalName")
        {
            if (service["spec"]?["selector"] is not null || string.IsNullOrEmpty((string?)service["spec"]?["externalName"])) errors.Add($"{id}: an ExternalName Service needs an externalName and no selector");
            return;
        }

        if (service["spec"]?["selector"] is null && (string?)service["spec"]?["clusterIP"] == "None")
        {
            // A headless Service without a selector: its addresses come from the EndpointSlices that name it.
            var name = Name(service);
            var slices = all.Where(o => Kind(o) == "EndpointSlice" && (string?)o["metadata"]?["labels"]?[Services.ServiceNameLabel] == name).ToList();
            if (slices.Count == 0) errors.Add($"{id}: a Service without a selector has no EndpointSlice ({Services.ServiceNameLabel}={name})");
            var sliced = slices.SelectMany(s => (s["ports"] as JsonArray ?? []).OfType<JsonObject>()).Select(p => $"{p["name"]}:{p["port"]}").ToHashSet(StringComparer.Ordinal);
            foreach (var port in (service["spec"]?["ports"] as JsonArray ?? []).OfType<JsonObject>().Where(p => !sliced.Contains($"{p["name"]}:{p["targetPort"] ?? p["port"]}")))
            {
                errors.Add($"{id}: port {port["name"]} is in no EndpointSlice of the Service");
            }

            return;
        }

        var selector = service["spec"]?["selector"] as JsonObject;
        if (selector is null || selector.Count == 0)
        {
            errors.Add($"{id}: no selector");
            return;
        }

        var pods = all.Where(o => Kind(o) == "Deployment" && Matches(selector, o["spec"]?["template"]?["metadata"]?["labels"] as JsonObject)).ToList();
        if (pods.Count == 0)
        {
            errors.Add($"{id}: selector matches no Deployment's pods");
            return;
        }

        var containerPorts = pods.SelectMany(p => (p["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
            .SelectMany(c => (c["ports"] as JsonArray ?? []).OfType<JsonObject>())
            .Select(p => $"{p["containerPort"]}/{p["protocol"]}").ToHashSet(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var port in (service["spec"]?["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (!containerPorts.Contains($"{port["targetPort"]}/{port["protocol"]}")) errors.Add($"{id}: targetPort {port["targetPort"]}/{port["protocol"]} is no container's port");
            if ((string?)port["name"] is { } name && (!names.Add(name) || name.Length > 15 || !KubeNames.IsDnsLabel(name))) errors.Add($"{id}: port name '{name}' is a duplicate or not a DNS label of at most 15 characters");
        }
    }

    private static void CheckIngress(JsonObject ingress, string id, List<JsonObject> all, List<string> errors)
    {
        foreach (var rule in (ingress["spec"]?["rules"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var path in (rule["http"]?["paths"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var backend = path["backend"]?["service"];
                var name = (string?)backend?["name"] ?? "";
                var port = (int?)backend?["port"]?["number"];
                var service = Find(all, "Service", name);
                if (service is null) errors.Add($"{id}: routes {rule["host"]}{path["path"]} to Service {name}, which is not rendered");
                else if (!(service["spec"]?["ports"] as JsonArray ?? []).OfType<JsonObject>().Any(p => (int?)p["port"] == port)) errors.Add($"{id}: routes to port {port} of Service {name}, which it does not expose");
            }
        }
    }

    private static void CheckLabels(JsonObject? labels, string id, List<string> errors, bool required)
    {
        if (labels is null)
        {
            if (required) errors.Add($"{id}: no labels");
            return;
        }

        foreach (var (key, value) in labels)
        {
            if (!KubeNames.IsQualifiedName(key)) errors.Add($"{id}: label key '{key}' is not valid");
            if (value is null || !KubeNames.IsLabelValue((string)value!)) errors.Add($"{id}: label {key} has an invalid value '{value}'");
        }

        if (required)
        {
            foreach (var key in RequiredLabels.Where(k => labels[k] is null)) errors.Add($"{id}: missing label {key}");
        }
    }

    private static void CheckAnnotations(JsonObject? annotations, string id, List<string> errors)
    {
        foreach (var (key, _) in annotations ?? [])
        {
            if (!KubeNames.IsQualifiedName(key)) errors.Add($"{id}: annotation key '{key}' is not valid");
        }
    }

    private static bool Matches(JsonObject selector, JsonObject? labels) =>
        labels is not null && selector.All(kv => labels[kv.Key] is { } v && (string)v! == (string)kv.Value!);

    private static bool SecretExists(List<JsonObject> all, IReadOnlySet<string> external, string name) =>
        external.Contains(name) || Find(all, "Secret", name) is not null;

    private static JsonObject? Find(List<JsonObject> all, string kind, string name) =>
        all.FirstOrDefault(o => Kind(o) == kind && Name(o) == name);

    private static string Kind(JsonObject o) => (string?)o["kind"] ?? "?";

    private static string Name(JsonObject o) => (string?)o["metadata"]?["name"] ?? "?";
}
