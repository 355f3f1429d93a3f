using Slipway.Core.Diagnostics;

namespace Slipway.Core.Verification;

public enum RolloutStrategy
{
    /// <summary>Stop the old container, then start the new one (what compose does).</summary>
    StopFirst,

    /// <summary>Start the new version before the old one stops (Kubernetes rolling update).</summary>
    StartFirst,
}

/// <summary>The spec's <c>rollout</c>: how a new revision goes out and how much history is kept.</summary>
public sealed record RolloutSettings
{
    public static readonly RolloutSettings Default = new();

    public RolloutStrategy Strategy { get; init; } = RolloutStrategy.StopFirst;

    /// <summary>How long apply may wait for the deployment to become healthy.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Put the last good revision back when verify fails.</summary>
    public bool AutoRollback { get; init; } = true;

    /// <summary>Revisions kept in D/.slipway/revisions; older ones are pruned.</summary>
    public int HistoryLimit { get; init; } = 10;

    public SourceLocation? Location { get; init; }

    public static string ToName(RolloutStrategy strategy) => strategy == RolloutStrategy.StopFirst ? "stop-first" : "start-first";
}
