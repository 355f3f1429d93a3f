using System.Text.Json;
using Slipway.Core.Diagnostics;
using Slipway.Core.Kubernetes;

namespace Slipway.Infrastructure.Backends.Kubernetes;

/// <summary>
/// stop on Kubernetes: delete this deployment's objects (by its label), and only when asked its claims and volumes,
/// its namespace and its kind cluster; each of those refuses when it would take more than this deployment's own.
/// </summary>
internal sealed class KubernetesStop(KubernetesTarget target)
{
    private const string VolumeKind = "PersistentVolumeClaims/PersistentVolumes";
    private const string KeptNote = "namespace and volumes kept; 'stop --delete-volumes' removes this deployment's PersistentVolumeClaims and PersistentVolumes";

    public async Task<StopOutcome> StopAsync(StopOptions options, CancellationToken cancellationToken)
    {
        var kubectl = target.Kubectl;
        var ns = target.Namespace;
        if (target.Cluster is { } cluster)
        {
            if (!await cluster.IsRunningAsync(cancellationToken))
            {
                // Nothing can be left: the objects lived in the cluster.
                options.Progress?.Invoke($"kind cluster {cluster.Name} is not running; nothing to stop");
                return new StopOutcome([], [], VolumeKind, KeptNote);
            }
        }
        else
        {
            target.RequireKubeconfig();
        }

        // Every namespace this deployment has applied into (D/.slipway/k8s-owned), the current one first: a changed
        // 'namespace:' must not leave the old one's objects running after stop.
        var owned = target.Owned();
        var namespaces = owned.Namespaces.Where(n => n != ns).Prepend(ns).ToList();
        var ownership = new NamespaceOwnership(target);
        var deletable = new List<string>();
        if (options.DeleteNamespace)
        {
            foreach (var where in namespaces)
            {
                if (await DeletableNamespaceAsync(ownership, owned, where, where == ns, cancellationToken)) deletable.Add(where);
            }

            if (!options.DeleteVolumes)
            {
                // Deleting a namespace deletes every claim in it, and with them provisioned data: only when --delete-volumes says so.
                foreach (var where in deletable)
                {
                    var claims = await kubectl.RequireAsync("get persistentvolumeclaims", ["get", "persistentvolumeclaims", "-n", where, "-o", "name"], cancellationToken);
                    if (KubernetesTarget.Lines(claims.StandardOutput).ToList() is { Count: > 0 } list)
                    {
                        throw new SlipwayException(FailureReason.Conflict,
                            $"deleting namespace {where} would also delete its volume claims ({string.Join(", ", list)}) and the data of provisioned volumes; nothing was stopped",
                            "add --delete-volumes if you mean to delete them, or stop without --delete-namespace");
                    }
                }
            }
        }

        foreach (var where in namespaces)
        {
            options.Progress?.Invoke(where == ns
                ? $"deleting the objects of {target.DeploymentId} in namespace {ns}"
                : $"deleting the objects of {target.DeploymentId} in namespace {where}, which it used before");
            // Foreground cascading with --wait returns only when the pods are gone too, so an immediate start cannot race them.
            await kubectl.RequireAsync("delete", ["delete", owned.KindList, "-n", where, "-l", target.Selector, "--cascade=foreground", "--wait=true", "--ignore-not-found",
                $"--timeout={(int)target.Options.DeleteTimeout.TotalSeconds}s"], cancellationToken, timeout: DeleteTimeout);
        }

        var removed = new List<string>();
        var keptPaths = new List<string>();
        if (options.DeleteVolumes)
        {
            (removed, keptPaths) = await DeleteVolumesAsync(namespaces, options.Progress, cancellationToken);
        }

        foreach (var where in deletable)
        {
            options.Progress?.Invoke($"deleting namespace {where}");
            await kubectl.RequireAsync($"delete namespace {where}", ["delete", "namespace", where, "--wait=true", "--ignore-not-found", $"--timeout={(int)target.Options.DeleteTimeout.TotalSeconds}s"],
                cancellationToken, timeout: DeleteTimeout);
            if (where != ns) owned.Forget(where);
        }

        if (target.Cluster is { } kind && options.PerformClusterManagement)
        {
            var others = await ownership.OtherOwnersAsync(cancellationToken);
            if (others.Count > 0)
            {
                throw new SlipwayException(FailureReason.Conflict,
                    $"this deployment's objects are removed, but the kind cluster '{kind.Name}' is kept: other deployments use it ({string.Join(", ", others)})",
                    "stop those first, or delete the cluster yourself with 'kind delete cluster --name " + kind.Name + "'");
            }

            options.Progress?.Invoke($"deleting kind cluster {kind.Name}");
            await kind.DeleteAsync(cancellationToken);
        }

        return new StopOutcome(removed, keptPaths, VolumeKind, KeptNote);
    }

    /// <summary>
    /// Whether --delete-namespace may delete <paramref name="ns"/>: it must carry this deployment's owner annotation. The
    /// current namespace refuses otherwise (as before); a namespace used before that is gone is forgotten, and one that is
    /// no longer ours (another deployment took it, or its annotation was removed) is left with a warning.
    /// </summary>
    private async Task<bool> DeletableNamespaceAsync(NamespaceOwnership ownership, OwnedRecord owned, string ns, bool current, CancellationToken cancellationToken)
    {
        if (current)
        {
            if (await ownership.CheckAsync(ns, null, cancellationToken) is not { } live) return false;
            if (!NamespaceOwnership.HasSlipwayOwner(live))
            {
                throw new SlipwayException(FailureReason.Conflict, $"namespace '{ns}' has no owner annotation, so it is not this deployment's to delete",
                    "delete it yourself with kubectl if you mean to");
            }

            return true;
        }

        JsonElement? old;
        try
        {
            old = await ownership.CheckAsync(ns, null, cancellationToken);
        }
        catch (SlipwayException e) when (e.Reason == FailureReason.Conflict)
        {
            target.Options.Warn($"namespace {ns}, which this deployment used before, now belongs to another deployment; it is not deleted");
            return false;
        }

        if (old is not { } found)
        {
            owned.Forget(ns);
            return false;
        }

        if (NamespaceOwnership.HasSlipwayOwner(found)) return true;
        target.Options.Warn($"namespace {ns}, which this deployment used before, has no owner annotation any more; it is not deleted ('kubectl delete namespace {ns}' does it)");
        return false;
    }

    private TimeSpan DeleteTimeout => target.Options.DeleteTimeout + TimeSpan.FromSeconds(30);

    /// <summary>Deletes this deployment's PVCs and its own PVs (by deployment-id label: never another deployment's).</summary>
    private async Task<(List<string> Removed, List<string> KeptPaths)> DeleteVolumesAsync(IReadOnlyList<string> namespaces, Action<string>? progress, CancellationToken cancellationToken)
    {
        var kubectl = target.Kubectl;
        // Listed first: deleting data is only done when what goes can be said.
        var claimsByNamespace = new List<(string Namespace, List<string> Names)>();
        foreach (var ns in namespaces)
        {
            var claims = await kubectl.RequireAsync("get persistentvolumeclaims", ["get", "persistentvolumeclaims", "-n", ns, "-l", target.Selector, "-o", "name"], cancellationToken);
            claimsByNamespace.Add((ns, KubernetesTarget.Lines(claims.StandardOutput).Order(StringComparer.Ordinal).ToList()));
        }

        var volumes = await kubectl.RequireAsync("get persistentvolumes", ["get", "persistentvolumes", "-l", target.Selector, "-o", "json"], cancellationToken);
        var volumeNames = new List<string>();
        var hostPaths = new List<string>();
        var mounts = target.Cluster?.RequiredMounts().OrderByDescending(m => m.ContainerPath.Length).ToList();
        foreach (var item in KubernetesTarget.Items(volumes.StandardOutput))
        {
            volumeNames.Add("persistentvolume/" + item.GetProperty("metadata").GetProperty("name").GetString());
            if (item.TryGetProperty("spec", out var spec) && spec.TryGetProperty("hostPath", out var hostPath) && hostPath.TryGetProperty("path", out var path) && path.GetString() is { } p)
            {
                hostPaths.Add(HostPathOnMachine(p, mounts));
            }
        }

        volumeNames.Sort(StringComparer.Ordinal);
        var claimNames = new List<string>();
        foreach (var (ns, names) in claimsByNamespace.Where(c => c.Names.Count > 0))
        {
            progress?.Invoke("deleting " + string.Join(", ", names) + (ns == target.Namespace ? "" : $" in namespace {ns}"));
            await kubectl.RequireAsync("delete persistentvolumeclaims", ["delete", "-n", ns, "--wait=true", "--ignore-not-found", .. names], cancellationToken, timeout: DeleteTimeout);
            claimNames.AddRange(names);
        }

        if (volumeNames.Count > 0)
        {
            progress?.Invoke("deleting " + string.Join(", ", volumeNames));
            await kubectl.RequireAsync("delete persistentvolumes", ["delete", "--wait=true", "--ignore-not-found", .. volumeNames], cancellationToken, timeout: DeleteTimeout);
        }

        return ([.. claimNames, .. volumeNames], hostPaths.Distinct().ToList());
    }

    /// <summary>A hostPath PV's path as the operator finds it: on kind, the node path mapped back through kind-config's mounts.</summary>
    /// <param name="mounts">kind-config's mounts, longest node path first; null on k8s.</param>
    private static string HostPathOnMachine(string nodePath, IReadOnlyList<KindMount>? mounts)
    {
        if (mounts is null) return nodePath;
        foreach (var mount in mounts)
        {
            var prefix = mount.ContainerPath.TrimEnd('/');
            if (nodePath == prefix) return mount.HostPath;
            if (nodePath.StartsWith(prefix + "/", StringComparison.Ordinal)) return Path.Combine(mount.HostPath, nodePath[(prefix.Length + 1)..]);
        }

        return $"{nodePath} (inside the kind node)";
    }
}
