using Slipway.Core.Specs;

namespace Slipway.Core.Deployments;

/// <summary>
/// Where a volume's data lives and what survives what, printed by deploy create and plan so that storage lost with a
/// cluster is never mistaken for data that persists. Compose placements leave the Kubernetes fields unset.
/// </summary>
public sealed record VolumePlacement(string Name, string? HostPath, bool Seeded)
{
    public bool IsHostPath => HostPath is not null;

    public DeployTarget Target { get; init; } = DeployTarget.Compose;

    /// <summary>Kubernetes: an absolute bind outside the stack and D, mounted read-only from the node (hostPath): no data of the deployment.</summary>
    public bool NodeBind { get; init; }

    /// <summary>The table row of an absolute host bind (<see cref="NodeBind"/>) whose node path is <paramref name="nodePath"/>.</summary>
    public static VolumePlacement ForNodeBind(string nodePath, DeployTarget target) =>
        new($"bind {nodePath}", null, false) { Target = target, NodePath = nodePath, NodeBind = true };

    /// <summary>Kubernetes: the hostPath of the PersistentVolume as the node sees it (kind: inside the node container).</summary>
    public string? NodePath { get; init; }

    /// <summary>Kubernetes: the storage requested by the claim.</summary>
    public string? Storage { get; init; }

    /// <summary>
    /// Set when the placement describes the storage in use and D declares another (the engine keeps a volume's first
    /// storage): what D declares. Start refuses such a volume until it is migrated.
    /// </summary>
    public string? DeclaredOtherwise { get; init; }

    public string Where => DeclaredOtherwise is null ? StorageInUse : $"{StorageInUse} (in use; D declares {DeclaredOtherwise}: start refuses until it is migrated)";

    private string StorageInUse => NodeBind
        ? $"{(Target == DeployTarget.K8sKind ? "kind node container's" : "the node's own")} {NodePath}, read-only (hostPath): node-local, whichever node runs the pod; never copied"
        : (Target, HostPath) switch
    {
        (DeployTarget.Compose, not null) => $"host directory {HostPath}",
        (DeployTarget.Compose, null) => "Docker named volume",
        (DeployTarget.Swarm, not null) => $"host directory {HostPath} on the node running the task (every node that may run it needs that path)",
        (DeployTarget.Swarm, null) => "Docker named volume on the node running the task (per node: a task moved to another node starts empty)",
        (DeployTarget.K8sKind, not null) => $"host directory {HostPath} (kind node {NodePath})",
        (DeployTarget.K8sKind, null) => "kind node container (local-path provisioner)",
        (_, not null) => $"node directory {HostPath} (hostPath volume)",
        _ => "cluster storage (default StorageClass)",
    };

    public string SurvivesPodRestart => NodeBind ? "-" : Target is DeployTarget.K8s or DeployTarget.Swarm ? "same node only" : "yes";

    public string SurvivesStop => NodeBind ? "-" : "yes";

    public string SurvivesDeleteVolumes => NodeBind ? "- (never deleted)" : HostPath is not null ? "yes (data kept)" : "no";

    public string SurvivesClusterDeletion => NodeBind ? "-" : (Target, HostPath) switch
    {
        (DeployTarget.Compose or DeployTarget.Swarm, _) => "-",
        (DeployTarget.K8sKind, not null) => "yes",
        (DeployTarget.K8sKind, null) => "no",
        (_, not null) => "only with the node's disk",
        _ => "no (unless the StorageClass retains it)",
    };

    public string Describe() => Target == DeployTarget.Compose
        ? HostPath is not null
            ? $"{Name}: host directory {HostPath} (kept by stop and stop --delete-volumes)"
            : $"{Name}: Docker named volume (kept by stop; removed by stop --delete-volumes)"
        : Target == DeployTarget.Swarm
            ? $"{Name}: {Where}; task restart: {SurvivesPodRestart}; stop: {SurvivesStop}; stop --delete-volumes: {(HostPath is not null ? "yes (data kept)" : "no (this node's copy)")}"
        : $"{Name}: {Where}; pod restart: {SurvivesPodRestart}; stop: {SurvivesStop}; stop --delete-volumes: {SurvivesDeleteVolumes}; cluster deletion: {SurvivesClusterDeletion}";
}
