using Slipway.Core.Diagnostics;

namespace Slipway.Core.Specs;

/// <summary>A spec volume: a host path (relative to the deployment directory, or absolute), or null for engine-managed storage.</summary>
public sealed record VolumeSpec(string Name, string? Path, SourceLocation Location)
{
    public bool IsHostPath => Path is not null;

    /// <summary><c>allow-system-write: true</c>: the operator means a service to change a system folder of the host (/, /etc, ...) through this volume.</summary>
    public bool AllowSystemWrite { get; init; }
}
