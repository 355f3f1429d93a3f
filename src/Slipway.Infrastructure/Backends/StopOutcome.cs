namespace Slipway.Infrastructure.Backends;

/// <summary>What a stop removed and kept, in the backend's own words (what its volumes are called, what stays).</summary>
/// <param name="VolumeKind">What --delete-volumes removes on this backend: "Docker volumes", "PersistentVolumeClaims/PersistentVolumes".</param>
/// <param name="KeptNote">What a stop without --delete-volumes keeps, and how to remove it.</param>
public sealed record StopOutcome(IReadOnlyList<string> RemovedVolumes, IReadOnlyList<string> KeptHostPaths, string VolumeKind, string KeptNote);
