using System.Text.Json.Nodes;
using Slipway.Core.Diagnostics;
using Slipway.Core.Kubernetes;
using Slipway.Core.Stacks;
using Slipway.Core.Verification;

namespace Slipway.Core.Rendering.Kubernetes;

/// <summary>A pod's Deployment, a job's Job, and the pod template they share: containers, volumes, scheduling, pull secret, config hash.</summary>
internal static class PodTemplates
{
    public static JsonObject Deployment(RenderContext context, StackComposeFile pod)
    {
        var (template, usesClaims) = Template(context, pod, job: false);
        var deployment = context.Object("apps/v1", "Deployment", KubeNames.Label($"{context.Id}-{pod.Name}"), context.Labels(pod: pod.Name));
        deployment["spec"] = new JsonObject
        {
            ["replicas"] = context.Spec.Kubernetes.Replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = context.Selector(pod.Name) },
            ["strategy"] = Strategy(context, pod, usesClaims),
            ["template"] = template,
        };
        return deployment;
    }

    /// <summary>
    /// rollout.strategy: start-first is a RollingUpdate that starts the new pod before the old one stops (maxUnavailable
    /// 0, maxSurge 1); stop-first (the default) is Recreate. A pod with a ReadWriteOnce claim cannot surge (the old and
    /// the new pod cannot both hold it), so it stays Recreate, and create says so.
    /// </summary>
    private static JsonObject Strategy(RenderContext context, StackComposeFile pod, bool usesClaims)
    {
        var rollout = context.Spec.Rollout;
        if (rollout.Strategy == RolloutStrategy.StartFirst && usesClaims)
        {
            context.Diagnostics.Warning(DiagnosticCodes.NotApplicable,
                $"pod '{pod.Name}' mounts a ReadWriteOnce volume claim, which the old and the new pod cannot hold at once: it is rolled out stop-first (Recreate) despite rollout.strategy start-first",
                rollout.Location ?? pod.DeclaredAt, "keep the data in a separate pod, or accept the brief stop while it restarts");
        }

        return rollout.Strategy == RolloutStrategy.StartFirst && !usesClaims
            ? new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = 0, ["maxSurge"] = 1 } }
            : new JsonObject { ["type"] = "Recreate" };
    }

    public static JsonObject Job(RenderContext context, StackComposeFile job)
    {
        var (template, _) = Template(context, job, job: true);
        var obj = context.Object("batch/v1", "Job", KubeNames.Label($"{context.Id}-job-{job.Name}"), context.Labels(job: job.Name));
        obj["spec"] = new JsonObject { ["backoffLimit"] = 0, ["template"] = template };
        return obj;
    }

    private static (JsonObject Template, bool UsesClaims) Template(RenderContext context, StackComposeFile file, bool job)
    {
        var kubernetes = context.Spec.Kubernetes;
        var volumes = new JsonObject();
        var hash = new ConfigHash();
        var containers = new JsonArray();
        var containerNames = new HashSet<string>(StringComparer.Ordinal);
        var hostNetwork = false;
        foreach (var service in file.Compose.Services)
        {
            var container = Containers.Container(context, file, service, volumes, hash);
            if (!containerNames.Add((string)container["name"]!))
            {
                context.Diagnostics.Error(DiagnosticCodes.Conflict, $"service '{service.Name}' of '{file.Name}' gives the same Kubernetes container name as another service of it ('{container["name"]}')", service.Location);
            }

            containers.Add(container);
            hostNetwork |= service.NetworkMode == "host";
            foreach (var key in service.ConsumedKeys(context.Config)) hash.Config(key, context.Config[key]);
        }

        CheckSharedPorts(context, file, containers);

        // Every container gets the spec's secrets (all keys, or the listed ones).
        foreach (var secret in kubernetes.Secrets) hash.Secret(secret.Name, secret.Keys);

        var labels = job ? context.Labels(job: file.Name) : context.Labels(pod: file.Name);
        var annotations = new JsonObject { [SlipwayLabels.ConfigHashAnnotation] = hash.Compute(context.Inputs.ConfigHashKey) };
        if (hash.FolderConfigMaps.Count > 0)
        {
            annotations[SlipwayLabels.ConfigMapDigestAnnotation] = FolderConfigMaps.TemplateDigest(hash.FolderConfigMaps.Select(m => (m.Key, m.Value)));
        }

        foreach (var service in file.Compose.Services)
        {
            foreach (var (key, value) in kubernetes.Labels) labels[WithService(key, service.Name)] = value.Value;
            foreach (var (key, value) in kubernetes.Annotations) annotations[WithService(key, service.Name)] = value.Value;
        }

        var spec = new JsonObject();
        if (hostNetwork)
        {
            spec["hostNetwork"] = true;
            spec["dnsPolicy"] = "ClusterFirstWithHostNet";
        }

        if (job) spec["restartPolicy"] = "Never";
        if (file.Compose.Services.Count > 1 && !hostNetwork)
        {
            // Compose services of one pod reach each other by name; in a pod they share localhost.
            spec["hostAliases"] = new JsonArray(new JsonObject
            {
                ["ip"] = "127.0.0.1",
                ["hostnames"] = new JsonArray(file.Compose.Services.Select(s => (JsonNode)s.Name.ToLowerInvariant()).ToArray()),
            });
        }

        spec["containers"] = containers;
        if (context.Spec.RegistryCredentials is not null)
        {
            spec["imagePullSecrets"] = new JsonArray(new JsonObject { ["name"] = KubernetesRenderer.RegistrySecretName(context.Id) });
        }

        if (kubernetes.Security.RuntimeClass is { } runtimeClass) spec["runtimeClassName"] = runtimeClass;
        else if (kubernetes.Security.UnlimitedMemlock is not null) spec["runtimeClassName"] = HighMemlock.RuntimeClassName;
        if (kubernetes.NodeAffinities.Count > 0) spec["affinity"] = Affinity(kubernetes.NodeAffinities);
        if (kubernetes.NodeTolerations.Count > 0) spec["tolerations"] = Tolerations(kubernetes.NodeTolerations);
        if (volumes.Count > 0)
        {
            spec["volumes"] = new JsonArray(volumes.Select(v => v.Value!.DeepClone()).ToArray());
        }

        var template = new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = labels, ["annotations"] = annotations },
            ["spec"] = spec,
        };
        var usesClaims = volumes.Any(v => v.Value!["persistentVolumeClaim"] is not null);
        return (template, usesClaims);
    }

    /// <summary>
    /// The containers of one pod share one network namespace: two services of a compose file (one pod) listening on the
    /// same port would collide, so it is refused at create, naming both (the API server only warns "duplicate port").
    /// </summary>
    private static void CheckSharedPorts(RenderContext context, StackComposeFile file, JsonArray containers)
    {
        var owners = new Dictionary<(int, string), string>();
        for (var i = 0; i < containers.Count; i++)
        {
            var service = file.Compose.Services[i];
            foreach (var port in containers[i]!["ports"]?.AsArray() ?? [])
            {
                var key = ((int)port!["containerPort"]!, (string)port["protocol"]!);
                if (owners.TryAdd(key, service.Name) || owners[key] == service.Name) continue;
                context.Diagnostics.Error(DiagnosticCodes.Conflict,
                    $"services '{owners[key]}' and '{service.Name}' of pod '{file.Name}' both listen on port {key.Item1}/{key.Item2.ToLowerInvariant()}: on Kubernetes the services of one compose file are the containers of one pod, which share one network, so they would collide",
                    service.Location, $"move '{service.Name}' into a compose file of its own (its own pod in the stack's pods list), or give it another port");
            }
        }
    }

    /// <summary>One term with every rule: the rules all hold (laconic-so ORed them as separate terms).</summary>
    private static JsonObject Affinity(IReadOnlyList<NodeAffinity> affinities)
    {
        var expressions = new JsonArray(affinities.Select(a => (JsonNode)new JsonObject
        {
            ["key"] = a.Label,
            ["operator"] = "In",
            ["values"] = new JsonArray(a.Value),
        }).ToArray());
        return new JsonObject
        {
            ["nodeAffinity"] = new JsonObject
            {
                ["requiredDuringSchedulingIgnoredDuringExecution"] = new JsonObject
                {
                    ["nodeSelectorTerms"] = new JsonArray(new JsonObject { ["matchExpressions"] = expressions }),
                },
            },
        };
    }

    private static JsonArray Tolerations(IReadOnlyList<NodeToleration> tolerations) =>
        new(tolerations.Select(t =>
        {
            var toleration = new JsonObject { ["key"] = t.Key };
            if (t.Value is null)
            {
                toleration["operator"] = "Exists";
            }
            else
            {
                toleration["operator"] = "Equal";
                toleration["value"] = t.Value;
            }

            toleration["effect"] = t.Effect;
            return (JsonNode)toleration;
        }).ToArray());

    private static string WithService(string key, string service) => key.Replace("{name}", service, StringComparison.Ordinal);
}
