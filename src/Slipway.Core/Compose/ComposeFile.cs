using Slipway.Core.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Compose;

/// <summary>A parsed compose file (a pod or a job). The compose renderer writes a copy of <see cref="Root"/>, so unknown keys survive.</summary>
public sealed record ComposeFile(string Path, YamlMappingNode Root)
{
    public IReadOnlyList<ComposeService> Services { get; init; } = [];

    /// <summary>Top-level named volumes, in file order.</summary>
    public IReadOnlyList<string> Volumes { get; init; } = [];

    /// <summary>Where each top-level named volume is declared.</summary>
    public IReadOnlyDictionary<string, SourceLocation> VolumeLocations { get; init; } = new Dictionary<string, SourceLocation>();

    /// <summary>Named volume → the host folder behind it (driver_opts.device), for the bind-backed ones.</summary>
    public IReadOnlyDictionary<string, string> VolumeDevices { get; init; } = new Dictionary<string, string>();

    public ComposeService? Service(string name) => Services.FirstOrDefault(s => s.Name == name);
}
