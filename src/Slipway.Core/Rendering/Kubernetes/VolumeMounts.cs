using System.Text.Json.Nodes;
using Slipway.Core.Compose;
using Slipway.Core.Kubernetes;
using Slipway.Core.Stacks;

namespace Slipway.Core.Rendering.Kubernetes;

/// <summary>A container's volumeMounts, and the pod volumes they name: spec configmaps, claims, host binds (as ConfigMaps) and scratch space.</summary>
internal static class VolumeMounts
{
    public static JsonArray Mounts(RenderContext context, StackComposeFile file, ComposeService service, JsonObject volumes, ConfigHash hash)
    {
        var mounts = new JsonArray();
        var configMapNames = context.Spec.Kubernetes.ConfigMaps.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var mount in service.Mounts)
        {
            var m = new JsonObject();
            string volumeName;
            switch (mount.Kind)
            {
                case MountKind.Volume when configMapNames.Contains(mount.Source!):
                    volumeName = KubeNames.Label(mount.Source!);
                    var cmName = KubeNames.Label($"{context.Id}-{mount.Source}");
                    AddVolume(volumes, volumeName, ConfigMapVolume(context, cmName));
                    if (context.FolderConfigMapDigests.TryGetValue(cmName, out var folderDigest)) hash.FolderConfigMaps[cmName] = folderDigest;
                    m["readOnly"] = true;
                    break;
                case MountKind.Volume:
                    volumeName = KubeNames.Label(mount.Source!);
                    AddVolume(volumes, volumeName, new JsonObject { ["name"] = volumeName, ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = KubeNames.Label($"{context.Id}-{mount.Source}") } });
                    if (mount.ReadOnly) m["readOnly"] = true;
                    break;
                case MountKind.Bind:
                    var resolved = RenderContext.ResolveBind(file, context.Interpolate(mount.Source!));
                    if (!context.HostBinds.TryGetValue(resolved, out var bind)) continue; // refused and reported already
                    volumeName = bind.VolumeName;
                    if (bind.NodePath is { } nodePath)
                    {
                        AddVolume(volumes, volumeName, new JsonObject { ["hostPath"] = new JsonObject { ["path"] = nodePath } });
                        m["readOnly"] = true;
                        break;
                    }

                    AddVolume(volumes, volumeName, ConfigMapVolume(context, bind.ConfigMapName));
                    if (context.FolderConfigMapDigests.TryGetValue(bind.ConfigMapName, out var laterDigest)) hash.FolderConfigMaps[bind.ConfigMapName] = laterDigest;
                    else ConsumeConfigMap(context, bind.ConfigMapName, hash);
                    m["readOnly"] = true;
                    if (bind.FileKey is not null) m["subPath"] = bind.FileKey;
                    break;
                default:
                    // Anonymous volumes and tmpfs: scratch space that lives as long as the pod.
                    volumeName = KubeNames.Label("scratch-" + mount.Target);
                    var emptyDir = new JsonObject();
                    if (service.Tmpfs is not null || mount.Options == "tmpfs") emptyDir["medium"] = "Memory";
                    AddVolume(volumes, volumeName, new JsonObject { ["name"] = volumeName, ["emptyDir"] = emptyDir });
                    break;
            }

            var ordered = new JsonObject { ["name"] = volumeName, ["mountPath"] = mount.Target };
            foreach (var (k, v) in m) ordered[k] = v?.DeepClone();
            mounts.Add(ordered);
        }

        return mounts;
    }

    private static JsonObject ConfigMapVolume(RenderContext context, string configMapName)
    {
        // Scripts stay executable; everything else is plain 0644.
        var executable = context.ExecutableConfigMaps.Contains(configMapName);
        return new JsonObject
        {
            ["configMap"] = new JsonObject { ["name"] = configMapName, ["defaultMode"] = executable ? 493 : 420 },
        };
    }

    private static void AddVolume(JsonObject volumes, string name, JsonObject volume)
    {
        if (volumes.ContainsKey(name)) return;
        var ordered = new JsonObject { ["name"] = name };
        foreach (var (k, v) in volume.Where(kv => kv.Key != "name")) ordered[k] = v?.DeepClone();
        volumes[name] = ordered;
    }

    private static void ConsumeConfigMap(RenderContext context, string name, ConfigHash hash)
    {
        if (!context.ConfigMaps.TryGetValue(name, out var cm)) return;
        if (!context.ConfigMapDigests.TryGetValue(name, out var digest))
        {
            context.ConfigMapDigests[name] = digest = ConfigHash.Digest((cm["data"]?.ToJsonString() ?? "") + (cm["binaryData"]?.ToJsonString() ?? ""));
        }

        hash.ConfigMap(name, digest);
    }
}
