namespace Slipway.Infrastructure.Pipeline;

/// <summary>One start, restart or rollback as asked on the command line.</summary>
public sealed record RunRequest(string Command)
{
    public const string Start = "start";
    public const string Restart = "restart";
    public const string Rollback = "rollback";

    public IReadOnlyList<string> Services { get; init; } = [];

    public bool ForceRecreate { get; init; }

    /// <summary>Kubernetes: take over fields another field manager owns (<c>--force-conflicts</c>); never by default.</summary>
    public bool ForceConflicts { get; init; }

    /// <summary>How long apply and verify together may take; null: the spec's <c>rollout.timeout</c> (default 5m). Given, it wins over the spec.</summary>
    public TimeSpan? WaitTimeout { get; init; }

    public bool PerformClusterManagement { get; init; }

    /// <summary>rollback: the revision to put back (default: the good revision before the live one).</summary>
    public int? ToRevision { get; init; }

    /// <summary>rollback: put back a revision recorded as failed (refused without it).</summary>
    public bool AllowFailed { get; init; }

    /// <summary>restart: <c>--image SERVICE=IMAGE</c> overrides for this run.</summary>
    public IReadOnlyDictionary<string, string> ServiceImages { get; init; } = new Dictionary<string, string>();

    /// <summary>Replace a stale lock (its process gone) instead of refusing.</summary>
    public bool BreakLock { get; init; }

    /// <summary>start, restart: move on from the revision a rollback pinned (see <see cref="DeploymentPin"/>).</summary>
    public bool Unpin { get; init; }

    /// <summary>restart: move the spec's repository to exactly this commit instead of pulling its upstream (<c>--source-commit</c>, what fleet deploy pins).</summary>
    public string? SourceCommit { get; init; }

    /// <summary>restart: pull this stack folder instead of deployment.yml's stack-source (<c>--stack-path</c>, laconic-so's flag), absolute.</summary>
    public string? StackSource { get; init; }

    /// <summary>restart: sync D from this spec instead of deployment.yml's spec-source (<c>--spec-file</c>), absolute.</summary>
    public string? SpecSource { get; init; }

    /// <summary>restart: <c>--force</c> (laconic-so's), skipping the DNS probe of a changed http-proxy host name.</summary>
    public bool SkipDnsProbe { get; init; }
}
