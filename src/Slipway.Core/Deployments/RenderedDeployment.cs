using Slipway.Core.Diagnostics;

namespace Slipway.Core.Deployments;

/// <summary>One file of a deployment directory, relative to D. Secret files are written owner-only.</summary>
public sealed record RenderedFile(string RelativePath, byte[] Content, bool Secret = false, bool Executable = false)
{
    public static RenderedFile Text(string relativePath, string text, bool secret = false) =>
        new(relativePath, System.Text.Encoding.UTF8.GetBytes(text), secret);
}

/// <summary>
/// Where a volume's data lives and what survives what (the "false persistence" table of seed 001): printed by deploy
/// create and plan. Compose placements leave the Kubernetes fields unset.
/// </summary>
public sealed record VolumePlacement(string Name, string? HostPath, bool Seeded)
{
    public bool IsHostPath => HostPath is not null;

    public Slipway.Core.Specs.DeployTarget Target { get; init; } = Slipway.Core.Specs.DeployTarget.Compose;

    /// <summary>Kubernetes: the hostPath of the PersistentVolume as the node sees it (kind: inside the node container).</summary>
    public string? NodePath { get; init; }

    /// <summary>Kubernetes: the storage requested by the claim.</summary>
    public string? Storage { get; init; }

    public string Where => (Target, HostPath) switch
    {
        (Slipway.Core.Specs.DeployTarget.Compose, not null) => $"host directory {HostPath}",
        (Slipway.Core.Specs.DeployTarget.Compose, null) => "Docker named volume",
        (Slipway.Core.Specs.DeployTarget.K8sKind, not null) => $"host directory {HostPath} (kind node {NodePath})",
        (Slipway.Core.Specs.DeployTarget.K8sKind, null) => "kind node container (local-path provisioner)",
        (_, not null) => $"node directory {HostPath} (hostPath volume)",
        _ => "cluster storage (default StorageClass)",
    };

    public string SurvivesPodRestart => Target == Slipway.Core.Specs.DeployTarget.K8s && HostPath is not null ? "same node only" : "yes";

    public string SurvivesStop => "yes";

    public string SurvivesDeleteVolumes => HostPath is not null ? "yes (data kept)" : "no";

    public string SurvivesClusterDeletion => (Target, HostPath) switch
    {
        (Slipway.Core.Specs.DeployTarget.Compose, _) => "-",
        (Slipway.Core.Specs.DeployTarget.K8sKind, not null) => "yes",
        (Slipway.Core.Specs.DeployTarget.K8sKind, null) => "no",
        (_, not null) => "only with the node's disk",
        _ => "no (unless the StorageClass retains it)",
    };

    public string Describe() => Target == Slipway.Core.Specs.DeployTarget.Compose
        ? HostPath is not null
            ? $"{Name}: host directory {HostPath} (kept by stop and stop --delete-volumes)"
            : $"{Name}: Docker named volume (kept by stop; removed by stop --delete-volumes)"
        : $"{Name}: {Where}; pod restart: {SurvivesPodRestart}; stop: {SurvivesStop}; stop --delete-volumes: {SurvivesDeleteVolumes}; cluster deletion: {SurvivesClusterDeletion}";
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
}
