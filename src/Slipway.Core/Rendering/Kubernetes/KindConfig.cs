using System.Text.Json.Nodes;
using Slipway.Core.Kubernetes;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;

namespace Slipway.Core.Rendering.Kubernetes;

/// <summary>
/// <c>D/kind-config.yml</c>: ports 80/443 for the ingress, the ports of host-network
/// services, and the mounts host-path volumes need: one kind-mount-root umbrella at /mnt, plus one mount per volume
/// outside it. Mounts only take effect when the cluster is created; the backend compares them on reuse.
/// </summary>
internal static class KindConfig
{
    public static string Render(Spec spec, IReadOnlyList<KubeVolume> volumes, StackBundle bundle, string deploymentDirectory)
    {
        var ports = new JsonArray(Port(80, "TCP"), Port(443, "TCP"));
        var seen = new HashSet<(int, string)> { (80, "TCP"), (443, "TCP") };
        foreach (var service in bundle.PodServices.Where(s => s.NetworkMode == "host"))
        {
            foreach (var port in service.Ports)
            {
                for (var p = port.Target.Start; p <= port.Target.End; p++)
                {
                    if (seen.Add((p, port.Protocol.ToUpperInvariant()))) ports.Add(Port(p, port.Protocol.ToUpperInvariant()));
                }
            }
        }

        var mounts = new JsonArray();
        if (spec.Kubernetes.KindMountRoot is { } root)
        {
            mounts.Add(Mount(Path.TrimEndingDirectorySeparator(Path.GetFullPath(StackResolver.ExpandHome(root.Value))), "/mnt"));
        }

        foreach (var volume in volumes.Where(v => v.KindMount is not null).OrderBy(v => v.Name, StringComparer.Ordinal))
        {
            mounts.Add(Mount(volume.KindMount!.HostPath, volume.KindMount.ContainerPath));
        }

        var memlockSpec = Path.Combine(Path.GetFullPath(deploymentDirectory), HighMemlock.SpecFile);
        if (spec.Kubernetes.Security.UnlimitedMemlock is not null)
        {
            // The node reads the runtime spec at the path the containerd patch names: mounted there, the same on both sides.
            mounts.Add(Mount(memlockSpec, memlockSpec));
        }

        var node = new JsonObject
        {
            ["role"] = "control-plane",
            ["kubeadmConfigPatches"] = new JsonArray("kind: InitConfiguration\nnodeRegistration:\n  kubeletExtraArgs:\n    node-labels: \"ingress-ready=true\"\n"),
            ["extraPortMappings"] = ports,
        };
        if (mounts.Count > 0) node["extraMounts"] = mounts;
        var cluster = new JsonObject
        {
            ["kind"] = "Cluster",
            ["apiVersion"] = "kind.x-k8s.io/v1alpha4",
        };
        if (spec.Kubernetes.Security.UnlimitedMemlock is not null) cluster["containerdConfigPatches"] = new JsonArray(HighMemlock.ContainerdPatch(memlockSpec));
        cluster["nodes"] = new JsonArray(node);
        return KubeYaml.Document(cluster);
    }

    private static JsonObject Port(int port, string protocol) =>
        new() { ["containerPort"] = port, ["hostPort"] = port, ["protocol"] = protocol };

    // HostToContainer: folders mounted on the host later are seen in the node too.
    private static JsonObject Mount(string hostPath, string containerPath) =>
        new() { ["hostPath"] = hostPath, ["containerPath"] = containerPath, ["propagation"] = "HostToContainer" };
}
