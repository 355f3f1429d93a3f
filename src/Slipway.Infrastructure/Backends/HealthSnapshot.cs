namespace Slipway.Infrastructure.Backends;

/// <summary>
/// What verify polls: every container or pod of the deployment, and the engine's rollouts that have not finished
/// (Kubernetes: a Deployment whose new pods are not all updated and available, or whose old pods are still there)
/// or never will (past their progress deadline).
/// </summary>
public sealed record HealthSnapshot(IReadOnlyList<ServiceState> Services, IReadOnlyList<string> PendingRollouts, IReadOnlyList<string> FailedRollouts)
{
    public static HealthSnapshot Of(IReadOnlyList<ServiceState> services) => new(services, [], []);

    /// <summary>What a healthy result should still say (swarm: a node that went down during the rollout).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
