namespace Slipway.Infrastructure.Pipeline;

/// <summary>One start, restart or rollback as asked on the command line.</summary>
public sealed record RunRequest(string Command)
{
    public const string Start = "start";
    public const string Restart = "restart";
    public const string Rollback = "rollback";

    public IReadOnlyList<string> Services { get; init; } = [];

    public bool ForceRecreate { get; init; }

    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public bool PerformClusterManagement { get; init; }

    /// <summary>rollback: the revision to put back (default: the good revision before the live one).</summary>
    public int? ToRevision { get; init; }

    /// <summary>restart: <c>--image SERVICE=IMAGE</c> overrides for this run.</summary>
    public IReadOnlyDictionary<string, string> ServiceImages { get; init; } = new Dictionary<string, string>();

    /// <summary>Replace a stale lock (its process gone) instead of refusing.</summary>
    public bool BreakLock { get; init; }
}
