using System.Text.Json;
using System.Text.Json.Nodes;
using Slipway.Core.Diagnostics;
using Slipway.Core.Rendering.Kubernetes;
using Slipway.Core.Stacks;

namespace Slipway.Infrastructure.Backends.Kubernetes;

/// <summary>
/// The Caddy ingress controller of a kind cluster (D/k8s/caddy-ingress.yml, rendered for a k8s-kind deployment with
/// http-proxy). When it is not ready it is installed: everything but the controller, then (on a cluster that never had
/// it, with kind-mount-root) the certificate backup restored, then the controller and the backup CronJob, then a bounded
/// wait. When it is ready it is left alone, unless the spec's caddy-ingress-image differs from the image it runs: then
/// that image is patched in and waited for. The controller is shared by every deployment on the cluster.
/// </summary>
internal sealed class KindIngress(KubernetesTarget target, KindCluster cluster)
{
    private string File => Path.Combine(target.Directory, CaddyIngress.ManifestFile);

    /// <summary>The state of the controller Deployment: absent (a cluster that never had it), or its image and readiness.</summary>
    internal sealed record LiveController(bool Exists, bool Ready, string? Image);

    public async Task EnsureAsync(Action<string>? progress, CancellationToken cancellationToken)
    {
        if (!System.IO.File.Exists(File)) return;
        var live = await LiveAsync(cancellationToken);
        var wanted = target.Session.Spec.Kubernetes.CaddyIngressImage?.Value;
        if (live.Ready)
        {
            if (wanted is null || wanted == live.Image) return;
            target.Options.Warn($"caddy-ingress-image: the Caddy ingress controller runs {live.Image}; patching it to {wanted}. It serves every deployment on kind cluster {cluster.Name}: the last start that sets the key wins");
            var container = new JsonObject { ["name"] = CaddyIngress.Controller, ["image"] = wanted, ["imagePullPolicy"] = CaddyIngress.PullPolicy(wanted) };
            var patch = new JsonObject { ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(container) } } } }.ToJsonString();
            await target.Kubectl.RequireAsync("patch the Caddy ingress image",
                ["patch", "deployments.apps", CaddyIngress.Controller, "-n", CaddyIngress.Namespace, "--type=strategic", "-p", patch], cancellationToken);
            await WaitReadyAsync(wanted, progress, cancellationToken);
            return;
        }

        var objects = KubernetesManifests.Load(File);
        bool Late(ManifestObject o) => (o.Kind == "Deployment" && o.Name == CaddyIngress.Controller) || CaddyIngress.IsBackupObject(o.Kind, o.Name);
        progress?.Invoke(live.Exists
            ? $"the Caddy ingress controller in {CaddyIngress.Namespace} is not ready: applying {CaddyIngress.ManifestFile} again"
            : $"installing the Caddy ingress controller into kind cluster {cluster.Name} (namespace {CaddyIngress.Namespace})");
        // Slipway owns this install: fields an earlier installer (laconic-so's client-side apply) set are taken over.
        await Apply(objects.Where(o => !Late(o)));
        if (!live.Exists && target.Session.Spec.Kubernetes.KindMountRoot is { } root)
        {
            await new CaddyCertBackup(target, cluster, Path.GetFullPath(StackResolver.ExpandHome(root.Value))).RestoreAsync(progress, cancellationToken);
        }

        await Apply(objects.Where(Late));
        var image = objects.First(o => o.Kind == "Deployment" && o.Name == CaddyIngress.Controller).Containers().Select(c => c.Scalar("image")).FirstOrDefault() ?? "";
        await WaitReadyAsync(image, progress, cancellationToken);

        Task Apply(IEnumerable<ManifestObject> part) =>
            target.Kubectl.ApplyAsync(KubernetesManifests.Serialize(part), null, TimeSpan.FromMinutes(2), cancellationToken, progress, forceConflicts: true);
    }

    internal async Task<LiveController> LiveAsync(CancellationToken cancellationToken)
    {
        var result = await target.Kubectl.RunAsync(["get", "deployments.apps", CaddyIngress.Controller, "-n", CaddyIngress.Namespace, "-o", "json"], cancellationToken);
        if (Tools.Kubectl.IsNotFound(result)) return new LiveController(false, false, null);
        if (!result.Succeeded) throw Tools.Kubectl.Failure("get the Caddy ingress controller", result, FailureReason.DeploymentFailed, target.ConnectionHint());
        using var document = JsonDocument.Parse(result.StandardOutput);
        var root = document.RootElement;
        string? image = null;
        if (root.TryGetProperty("spec", out var spec) && spec.TryGetProperty("template", out var template) && template.TryGetProperty("spec", out var pod)
            && pod.TryGetProperty("containers", out var containers))
        {
            image = containers.EnumerateArray().Where(c => c.GetProperty("name").GetString() == CaddyIngress.Controller)
                .Select(c => c.TryGetProperty("image", out var i) ? i.GetString() : null).FirstOrDefault();
        }

        var (pending, failed) = PodStatus.ParseRollouts($"{{\"items\":[{result.StandardOutput}]}}");
        var available = root.TryGetProperty("status", out var status) && status.TryGetProperty("availableReplicas", out var a) && a.GetInt64() > 0;
        return new LiveController(true, available && pending.Count == 0 && failed.Count == 0, image);
    }

    /// <summary>
    /// Until the controller's rollout is done and a pod is ready, within <see cref="KubernetesBackendOptions.IngressTimeout"/>;
    /// a pod Kubernetes cannot start (an image it cannot pull, a crash loop) fails at once with the kubelet's words.
    /// </summary>
    private async Task WaitReadyAsync(string image, Action<string>? progress, CancellationToken cancellationToken)
    {
        var clock = target.Options.Clock;
        var deadline = clock.GetUtcNow() + target.Options.IngressTimeout;
        var hint = $"see why with 'kubectl --context {cluster.Context} -n {CaddyIngress.Namespace} describe pods'; the image is {image} (set caddy-ingress-image in the spec to use another)";
        while (true)
        {
            if ((await LiveAsync(cancellationToken)).Ready) return;
            var pods = await target.Kubectl.RequireAsync("get the Caddy ingress pods",
                ["get", "pods", "-n", CaddyIngress.Namespace, "-l", $"app.kubernetes.io/name={CaddyIngress.Controller}", "-o", "json"], cancellationToken);
            var states = PodStatus.ParsePods(pods.StandardOutput);
            if (states.FirstOrDefault(s => s.Condition == ServiceCondition.Failed) is { } failed)
            {
                throw new SlipwayException(FailureReason.DeploymentFailed,
                    $"the Caddy ingress controller cannot start in kind cluster {cluster.Name}: {failed.Name}: {failed.State}", hint);
            }

            if (clock.GetUtcNow() >= deadline)
            {
                var seen = states.Count == 0 ? "no pod yet" : string.Join(", ", states.Select(s => $"{s.Name}: {s.Health ?? s.State}"));
                throw new SlipwayException(FailureReason.VerifyTimeout,
                    $"the Caddy ingress controller (deployment {CaddyIngress.Controller} in namespace {CaddyIngress.Namespace}) did not become ready within {(int)target.Options.IngressTimeout.TotalSeconds}s: {seen}",
                    hint);
            }

            progress?.Invoke("waiting for the Caddy ingress controller to be ready");
            await target.Options.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        }
    }
}
