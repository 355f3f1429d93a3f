namespace Slipway.Core.Rendering.Kubernetes;

/// <summary>A static host-path bind made into a ConfigMap: the pod volume that mounts it, and the key of a single bound file.</summary>
internal sealed record HostBind(string VolumeName, string ConfigMapName, string? FileKey);
