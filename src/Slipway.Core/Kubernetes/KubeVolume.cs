namespace Slipway.Core.Kubernetes;

/// <summary>A compose named volume as Kubernetes stores it: a hostPath PV + PVC, or a provisioner PVC.</summary>
/// <param name="HostPath">Absolute host path (k8s: on the node; kind: on this machine), or null for provisioner storage.</param>
/// <param name="NodePath">The PV's hostPath as the node sees it.</param>
/// <param name="KindMount">kind only: the extraMount this volume needs (null when under kind-mount-root).</param>
public sealed record KubeVolume(string Name, string? HostPath, string? NodePath, string Storage, KindMount? KindMount);

/// <summary>A kind extraMount: a host folder and where the node container sees it.</summary>
public sealed record KindMount(string HostPath, string ContainerPath);
