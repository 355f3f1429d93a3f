namespace Slipway.Infrastructure.Backends.Kubernetes;

/// <summary>
/// One look at the deployment's health: its Deployments' rollouts, its pods' containers and, when it has claims, the
/// claims still pending. verify polls it; an apply asked to wait polls it too, so both stop at the same hopeless states.
/// </summary>
internal sealed class KubernetesHealth(KubernetesTarget target)
{
    private bool? _hasClaims;

    public async Task<HealthSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        var ns = target.Namespace;
        var deployments = await target.Kubectl.RequireAsync("get deployments", ["get", "deployments.apps", "-n", ns, "-l", target.Selector, "-o", "json"], cancellationToken);
        var (pending, failed) = PodStatus.ParseRollouts(deployments.StandardOutput);
        var pods = await target.Kubectl.RequireAsync("get pods", ["get", "pods", "-n", ns, "-l", target.Selector, "-o", "json"], cancellationToken);
        var states = PodStatus.ParsePods(pods.StandardOutput);
        _hasClaims ??= target.LoadManifests().Any(o => o.Kind == "PersistentVolumeClaim");
        if (_hasClaims == true)
        {
            var claims = await target.Kubectl.RequireAsync("get persistentvolumeclaims", ["get", "persistentvolumeclaims", "-n", ns, "-l", target.Selector, "-o", "json"], cancellationToken);
            if (claims.StandardOutput.Contains("\"Pending\"", StringComparison.Ordinal))
            {
                var events = await target.Kubectl.RunAsync(["get", "events", "-n", ns, "--field-selector", "involvedObject.kind=PersistentVolumeClaim", "-o", "json"], cancellationToken);
                var (pendingClaims, failedClaims) = PodStatus.ParseClaims(claims.StandardOutput, events.Succeeded ? events.StandardOutput : "");
                pending = [.. pending, .. pendingClaims];
                failed = [.. failed, .. failedClaims];
            }
        }

        return new HealthSnapshot(states, pending, failed);
    }
}
