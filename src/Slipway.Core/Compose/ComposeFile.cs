using Slipway.Core.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Compose;

public enum MountKind
{
    /// <summary>A named volume declared at the top level.</summary>
    Volume,

    /// <summary>A host path bound into the container (relative paths resolve against the compose file's folder).</summary>
    Bind,

    /// <summary>An anonymous volume, tmpfs or another kind Slipway leaves alone.</summary>
    Other,
}

/// <summary>One entry of a service's <c>volumes:</c>, short or long syntax.</summary>
public sealed record ServiceMount(MountKind Kind, string? Source, string Target, bool ReadOnly, string Options, SourceLocation Location);

/// <summary>One service of a compose file: its node (kept whole, so unknown-to-Slipway keys survive rendering) and what Slipway reads from it.</summary>
public sealed record ComposeService(string Name, YamlMappingNode Node, SourceLocation Location)
{
    public string? Image { get; init; }

    public IReadOnlyList<ServiceMount> Mounts { get; init; } = [];

    /// <summary>Port entries as short-syntax text, after interpolation.</summary>
    public IReadOnlyList<PortSpec> Ports { get; init; } = [];

    public IReadOnlyList<string> EnvFiles { get; init; } = [];

    /// <summary>Every variable the service's definition interpolates (<c>${VAR}</c>), so config changes can be traced to services.</summary>
    public IReadOnlyList<string> Variables { get; init; } = [];
}

/// <summary>A parsed compose file (a pod or a job). The node tree is the source of truth for rendering.</summary>
public sealed record ComposeFile(string Path, YamlMappingNode Root)
{
    public IReadOnlyList<ComposeService> Services { get; init; } = [];

    /// <summary>Top-level named volumes, in file order.</summary>
    public IReadOnlyList<string> Volumes { get; init; } = [];

    public ComposeService? Service(string name) => Services.FirstOrDefault(s => s.Name == name);
}
