namespace Slipway.Core.Rendering.Kubernetes;

/// <summary>A static host-path bind made into a ConfigMap: the pod volume that mounts it, and the key of a single bound file.</summary>
internal sealed record HostBind(string VolumeName, string ConfigMapName, string? FileKey)
{
    /// <summary>An absolute host path outside the stack and D (e.g. /proc, /sys): mounted read-only from the node as it is, never copied.</summary>
    public string? NodePath { get; init; }
}
