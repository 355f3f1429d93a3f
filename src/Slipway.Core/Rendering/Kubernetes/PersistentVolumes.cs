using System.Text.Json.Nodes;
using Slipway.Core.Kubernetes;

namespace Slipway.Core.Rendering.Kubernetes;

/// <summary>Volumes: a hostPath PersistentVolume for each volume with a path, and a claim for every volume.</summary>
internal static class PersistentVolumes
{
    public static JsonObject Volume(RenderContext context, KubeVolume volume)
    {
        var labels = context.Labels();
        labels[SlipwayLabels.VolumeLabel] = KubeNames.LabelValue(volume.Name);
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "PersistentVolume",
            ["metadata"] = new JsonObject { ["name"] = ObjectName(context, volume.Name), ["labels"] = labels },
            ["spec"] = new JsonObject
            {
                ["storageClassName"] = "",
                ["capacity"] = new JsonObject { ["storage"] = volume.Storage },
                ["accessModes"] = new JsonArray("ReadWriteOnce"),
                // The data is the operator's: deleting the claim never deletes it.
                ["persistentVolumeReclaimPolicy"] = "Retain",
                ["claimRef"] = new JsonObject { ["namespace"] = context.Namespace, ["name"] = ObjectName(context, volume.Name) },
                ["hostPath"] = new JsonObject { ["path"] = volume.NodePath, ["type"] = "DirectoryOrCreate" },
            },
        };
    }

    public static JsonObject Claim(RenderContext context, KubeVolume volume)
    {
        var labels = context.Labels();
        labels[SlipwayLabels.VolumeLabel] = KubeNames.LabelValue(volume.Name);
        var pvc = context.Object("v1", "PersistentVolumeClaim", ObjectName(context, volume.Name), labels);
        var spec = new JsonObject { ["accessModes"] = new JsonArray("ReadWriteOnce") };
        if (volume.HostPath is not null)
        {
            spec["storageClassName"] = "";
            spec["volumeName"] = ObjectName(context, volume.Name);
        }

        spec["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = volume.Storage } };
        pvc["spec"] = spec;
        return pvc;
    }

    private static string ObjectName(RenderContext context, string volume) => KubeNames.Label($"{context.Id}-{volume}");
}
