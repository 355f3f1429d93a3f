using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;

namespace Slipway.Core.Kubernetes;

/// <summary>
/// Where each volume's data lives on Kubernetes targets, and the table of what survives what. Pure: the same
/// function serves deploy create, plan and status.
/// </summary>
public static class KubernetesVolumes
{
    public const string DefaultStorage = "2Gi";

    /// <summary>The kind node folder under which per-volume extraMounts land (kind-mount-root takes /mnt).</summary>
    public const string KindVolumeRoot = "/slipway";

    /// <summary>The placement table for deploy create, plan and status; for compose it matches what compose does.</summary>
    public static IReadOnlyList<VolumePlacement> Placements(Spec spec, IEnumerable<string> declaredVolumes, string deploymentDirectory, string deploymentId)
    {
        var declared = declaredVolumes.Distinct(StringComparer.Ordinal).ToList();
        if (!spec.DeployTo.IsKubernetes())
        {
            return declared.Select(name =>
            {
                var path = spec.Volumes.FirstOrDefault(v => v.Name == name)?.Path;
                return new VolumePlacement(name, path is null ? null : HostPaths.ResolveVolumePath(path, deploymentDirectory), false) { Target = spec.DeployTo };
            }).ToList();
        }

        return Plan(spec, declared, deploymentDirectory, deploymentId, new DiagnosticBag())
            .Select(v => new VolumePlacement(v.Name, v.HostPath, false) { Target = spec.DeployTo, NodePath = v.NodePath, Storage = v.Storage })
            .ToList();
    }

    /// <summary>The "what survives what" table as aligned text lines (header first), for deploy create, plan and status.</summary>
    public static IReadOnlyList<string> Table(IReadOnlyList<VolumePlacement> placements)
    {
        string[] header = ["VOLUME", "DATA LIVES IN", "POD RESTART", "STOP", "STOP --delete-volumes", "CLUSTER DELETION"];
        var rows = placements.Select(p => new[] { p.Name, p.Where, p.SurvivesPodRestart, p.SurvivesStop, p.SurvivesDeleteVolumes, p.SurvivesClusterDeletion }).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        return [.. new[] { header }.Concat(rows).Select(r => string.Join("  ", r.Select((c, i) => c.PadRight(widths[i]))).TrimEnd())];
    }

    /// <summary>
    /// Every compose volume that is not a spec configmap, in first-use order. k8s refuses relative paths (the node is
    /// not this machine); k8s-kind resolves them against D.
    /// </summary>
    public static IReadOnlyList<KubeVolume> Plan(Spec spec, IReadOnlyList<string> declared, string deploymentDirectory, string deploymentId, DiagnosticBag diagnostics)
    {
        var configMaps = spec.Kubernetes.ConfigMaps.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var mountRoot = spec.Kubernetes.KindMountRoot is { } root ? Path.TrimEndingDirectorySeparator(Path.GetFullPath(StackResolver.ExpandHome(root.Value))) : null;
        var result = new List<KubeVolume>();
        foreach (var name in declared.Where(n => !configMaps.Contains(n)))
        {
            var volume = spec.Volumes.FirstOrDefault(v => v.Name == name);
            var storage = spec.Kubernetes.Resources.PerVolumeStorage.TryGetValue(name, out var s) ? s.Value : spec.Kubernetes.Resources.VolumeStorage ?? DefaultStorage;
            if (volume?.Path is not { } path)
            {
                result.Add(new KubeVolume(name, null, null, storage, null));
                continue;
            }

            var expanded = StackResolver.ExpandHome(path);
            string? hostPath;
            if (spec.DeployTo == DeployTarget.K8s)
            {
                if (!Path.IsPathRooted(expanded))
                {
                    diagnostics.Error(DiagnosticCodes.InvalidValue, $"volume '{name}': relative path '{path}' is not supported for deploy-to k8s: the data lives on a cluster node, not in the deployment directory", volume.Location,
                        "give an absolute path that exists on the nodes, or leave the value empty for storage from the cluster's provisioner");
                    continue;
                }

                hostPath = Path.TrimEndingDirectorySeparator(Path.GetFullPath(expanded));
                result.Add(new KubeVolume(name, hostPath, hostPath, storage, null));
                continue;
            }

            hostPath = HostPaths.ResolveVolumePath(path, deploymentDirectory);
            if (hostPath is null) continue; // DeploymentRenderer reports a path escaping D.
            if (mountRoot is not null && HostPaths.IsInside(mountRoot, hostPath) && hostPath != mountRoot)
            {
                var relative = Path.GetRelativePath(mountRoot, hostPath).Replace('\\', '/');
                result.Add(new KubeVolume(name, hostPath, "/mnt/" + relative, storage, null));
            }
            else
            {
                var nodePath = $"{KindVolumeRoot}/{deploymentId}/{name}";
                result.Add(new KubeVolume(name, hostPath, nodePath, storage, new KindMount(hostPath, nodePath)));
            }
        }

        return result;
    }
}
