using Slipway.Core.Diagnostics;

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
