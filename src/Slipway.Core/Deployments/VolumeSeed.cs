namespace Slipway.Core.Deployments;

/// <summary>A stack config folder copied into a fresh host-path volume (only while the volume folder is empty).</summary>
public sealed record VolumeSeed(string Volume, string SourceDirectory, string TargetDirectory);
