using System.Text.Json.Nodes;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;

namespace Slipway.Core.Rendering.Kubernetes;

/// <summary>The rendered Kubernetes side of a deployment directory.</summary>
public sealed record KubernetesRendering
{
    /// <summary>Objects applied at every start, in apply order.</summary>
    public required IReadOnlyList<JsonObject> Objects { get; init; }

    /// <summary>Each job's objects, by job name.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<JsonObject>> Jobs { get; init; }

    public required IReadOnlyList<RenderedFile> Files { get; init; }

    public required IReadOnlyList<VolumePlacement> Volumes { get; init; }

    /// <summary>Folders of D to create (absolute), e.g. a spec configmap's that the stack has no files for.</summary>
    public IReadOnlyList<string> Directories { get; init; } = [];

    public IReadOnlyList<Diagnostic> Warnings { get; init; } = [];
}
