using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;

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

    /// <summary>
    /// How long apply and verify together may take (a start-first cutover included); the command's
    /// <c>--wait-timeout</c>, when given, wins over it.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Put the last good revision back when verify fails.</summary>
    public bool AutoRollback { get; init; } = true;

    /// <summary>Revisions kept in D/.slipway/revisions; older ones are pruned.</summary>
    public int HistoryLimit { get; init; } = 10;

    /// <summary>
    /// <c>rollout.volume-safe</c>: services whose volumes two containers may use at once, so start-first applies to them
    /// too (by default a service with a data volume stays stop-first).
    /// </summary>
    public IReadOnlyList<Located<string>> VolumeSafe { get; init; } = [];

    public SourceLocation? Location { get; init; }

    public static string ToName(RolloutStrategy strategy) => strategy == RolloutStrategy.StopFirst ? "stop-first" : "start-first";
}
