using System.Globalization;
using System.Text.Json;

namespace Slipway.Infrastructure.Backends.Kubernetes;

/// <summary>Reads <c>kubectl get pods -o json</c> and <c>get deployments -o json</c> into service states and unfinished rollouts.</summary>
internal static class PodStatus
{
    /// <summary>Waiting reasons Kubernetes keeps retrying without hope: a crash loop, an image it cannot pull, a config it cannot mount.</summary>
    private static readonly string[] Hopeless =
        ["CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "CreateContainerConfigError", "CreateContainerError"];

    /// <summary>
    /// One state per container of every pod carrying the deployment-id label, so every pod of a multi-pod stack shows
    /// (laconic-so matched pod names and missed them). Job pods are left out, as compose leaves out one-offs.
    /// </summary>
    public static IReadOnlyList<ServiceState> ParsePods(string json)
    {
        var states = new List<ServiceState>();
        foreach (var pod in KubernetesTarget.Items(json))
        {
            var metadata = pod.GetProperty("metadata");
            if (metadata.TryGetProperty("labels", out var labels) && (labels.TryGetProperty("job-name", out _) || labels.TryGetProperty("batch.kubernetes.io/job-name", out _))) continue;
            var name = metadata.GetProperty("name").GetString() ?? "";
            var id = metadata.TryGetProperty("uid", out var uid) ? (uid.GetString() ?? "").Replace("-", "", StringComparison.Ordinal) : "";
            var terminating = metadata.TryGetProperty("deletionTimestamp", out _);
            var status = pod.TryGetProperty("status", out var s) ? s : default;
            var phase = status.ValueKind == JsonValueKind.Object && status.TryGetProperty("phase", out var p) ? (p.GetString() ?? "").ToLowerInvariant() : "unknown";
            var containerStatuses = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            if (status.ValueKind == JsonValueKind.Object && status.TryGetProperty("containerStatuses", out var cs))
            {
                foreach (var c in cs.EnumerateArray()) containerStatuses[c.GetProperty("name").GetString() ?? ""] = c;
            }

            foreach (var container in pod.GetProperty("spec").GetProperty("containers").EnumerateArray())
            {
                var service = container.GetProperty("name").GetString() ?? "";
                var ports = new List<PublishedPort>();
                if (container.TryGetProperty("ports", out var declared))
                {
                    foreach (var port in declared.EnumerateArray())
                    {
                        var protocol = port.TryGetProperty("protocol", out var proto) ? (proto.GetString() ?? "TCP").ToLowerInvariant() : "tcp";
                        ports.Add(new PublishedPort("", 0, port.GetProperty("containerPort").GetInt32(), protocol));
                    }
                }

                string state;
                string? health = null;
                var condition = ServiceCondition.Starting;
                if (terminating)
                {
                    state = "terminating";
                }
                else if (containerStatuses.TryGetValue(service, out var c) && c.TryGetProperty("state", out var st))
                {
                    if (st.TryGetProperty("running", out _))
                    {
                        state = "running";
                        var ready = c.TryGetProperty("ready", out var r) && r.GetBoolean();
                        health = ready ? "ready" : "not ready";
                        condition = ready ? ServiceCondition.Ready : ServiceCondition.Starting;
                    }
                    else if (st.TryGetProperty("waiting", out var waiting))
                    {
                        var reason = Reason(waiting);
                        state = "waiting: " + reason;
                        if (Hopeless.Contains(reason))
                        {
                            condition = ServiceCondition.Failed;
                            // The kubelet's words say what to fix: secret "x" not found, the image that cannot be pulled.
                            if (Text(waiting, "message") is { Length: > 0 } message) state += ": " + message;
                        }
                    }
                    else if (st.TryGetProperty("terminated", out var terminated))
                    {
                        state = "exited: " + Reason(terminated);
                        condition = ServiceCondition.Failed;
                    }
                    else
                    {
                        state = phase;
                    }
                }
                else
                {
                    state = phase;
                    if (phase == "failed") condition = ServiceCondition.Failed;
                }

                states.Add(new ServiceState(service, name, id[..Math.Min(12, id.Length)], state, health, ports) { Condition = condition });
            }
        }

        return states.OrderBy(s => s.Service, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The Deployments whose rollout is not finished, as <c>kubectl rollout status</c> judges it: the controller has not
    /// seen the newest spec, not every replica is updated, old replicas are still there, or updated ones are not
    /// available yet. A rollout past its progress deadline has failed.
    /// </summary>
    public static (IReadOnlyList<string> Pending, IReadOnlyList<string> Failed) ParseRollouts(string json)
    {
        var pending = new List<string>();
        var failed = new List<string>();
        foreach (var item in KubernetesTarget.Items(json))
        {
            var name = "deployment/" + item.GetProperty("metadata").GetProperty("name").GetString();
            var generation = Number(item.GetProperty("metadata"), "generation");
            var spec = item.TryGetProperty("spec", out var sp) ? sp : default;
            var status = item.TryGetProperty("status", out var st) ? st : default;
            var wanted = spec.ValueKind == JsonValueKind.Object && spec.TryGetProperty("replicas", out var r) ? r.GetInt64() : 1;
            var observed = Number(status, "observedGeneration");
            var updated = Number(status, "updatedReplicas");
            var replicas = Number(status, "replicas");
            var available = Number(status, "availableReplicas");
            if (status.ValueKind == JsonValueKind.Object && status.TryGetProperty("conditions", out var conditions)
                && conditions.EnumerateArray().Any(c => Text(c, "type") == "Progressing" && Text(c, "reason") == "ProgressDeadlineExceeded"))
            {
                failed.Add($"{name} exceeded its progress deadline");
                continue;
            }

            var reason = observed < generation ? "waiting for the controller to see the new spec"
                : updated < wanted ? $"{Count(updated)} of {Count(wanted)} updated replicas"
                : replicas > updated ? $"{Count(replicas - updated)} old replicas are pending termination"
                : available < updated ? $"{Count(available)} of {Count(updated)} updated replicas are available"
                : null;
            if (reason is not null) pending.Add($"{name}: {reason}");
        }

        return (pending, failed);
    }

    /// <summary>
    /// Claims still Pending, from <c>get persistentvolumeclaims -o json</c> and the claims' events: pending ones, and
    /// failed ones whose newest event says no volume can ever come (no StorageClass set and no default one, or a
    /// StorageClass that does not exist), so verify stops at once with the server's reason instead of at its timeout.
    /// </summary>
    public static (IReadOnlyList<string> Pending, IReadOnlyList<string> Failed) ParseClaims(string claimsJson, string eventsJson)
    {
        var pending = new List<string>();
        var failed = new List<string>();
        var events = KubernetesTarget.Items(eventsJson)
            .Where(e => e.TryGetProperty("involvedObject", out var o) && Text(o, "kind") == "PersistentVolumeClaim")
            .Select(e => (Claim: Text(e.GetProperty("involvedObject"), "name") ?? "", Message: Text(e, "message") ?? "", At: Text(e, "lastTimestamp") ?? Text(e, "eventTime") ?? ""))
            .ToList();
        foreach (var claim in KubernetesTarget.Items(claimsJson))
        {
            var name = claim.GetProperty("metadata").GetProperty("name").GetString() ?? "";
            var phase = claim.TryGetProperty("status", out var status) ? Text(status, "phase") : null;
            if (phase is null or "Bound") continue;
            var latest = events.Where(e => e.Claim == name).OrderBy(e => e.At, StringComparer.Ordinal).LastOrDefault().Message;
            var what = $"persistentvolumeclaim/{name} is {phase.ToLowerInvariant()}" + (string.IsNullOrEmpty(latest) ? "" : $": {latest}");
            if (latest is not null && (latest.Contains("no storage class is set", StringComparison.Ordinal) || (latest.Contains("storageclass", StringComparison.OrdinalIgnoreCase) && latest.Contains("not found", StringComparison.Ordinal))))
            {
                failed.Add(what + " (the cluster has no default StorageClass: give the volume a path under the spec's volumes, or make a StorageClass the default)");
            }
            else
            {
                pending.Add(what);
            }
        }

        return (pending, failed);
    }

    private static long Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    private static string Count(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Reason(JsonElement state) => state.TryGetProperty("reason", out var reason) ? reason.GetString() ?? "?" : "?";
}
