using Slipway.Core.Diagnostics;

namespace Slipway.Core.Deployments;

/// <summary>One file of a deployment directory, relative to D. Secret files are written owner-only.</summary>
public sealed record RenderedFile(string RelativePath, byte[] Content, bool Secret = false, bool Executable = false)
{
    public static RenderedFile Text(string relativePath, string text, bool secret = false) =>
        new(relativePath, System.Text.Encoding.UTF8.GetBytes(text), secret);
}

/// <summary>Where a volume's data lives and what survives what: printed by deploy create.</summary>
public sealed record VolumePlacement(string Name, string? HostPath, bool Seeded)
{
    public bool IsHostPath => HostPath is not null;

    public string Describe() => HostPath is not null
        ? $"{Name}: host directory {HostPath} (kept by stop and stop --delete-volumes)"
        : $"{Name}: Docker named volume (kept by stop; removed by stop --delete-volumes)";
}

/// <summary>A stack config folder copied into a fresh host-path volume (only while the volume folder is empty).</summary>
public sealed record VolumeSeed(string Volume, string SourceDirectory, string TargetDirectory);

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

    /// <summary>Per rendered service: the config keys and files it consumes and their hash (its config-hash label).</summary>
    public IReadOnlyList<ServiceConfigUse> ConfigUse { get; init; } = [];
}
