using Slipway.Core.Diagnostics;

namespace Slipway.Core.Deployments;

/// <summary>Everything deploy create would write: a pure value the writer applies (fresh, or as an update with .bak files).</summary>
public sealed record RenderedDeployment
{
    public required IReadOnlyList<RenderedFile> Files { get; init; }

    /// <summary>Absolute host directories to create (host-path volumes).</summary>
    public IReadOnlyList<string> Directories { get; init; } = [];

    public IReadOnlyList<VolumeSeed> Seeds { get; init; } = [];

    public IReadOnlyList<VolumePlacement> Volumes { get; init; } = [];

    public IReadOnlyList<Diagnostic> Warnings { get; init; } = [];

    /// <summary>Secret values (generated or from env files) that must never reach a log or message.</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];
}
