namespace Slipway.Infrastructure.Pipeline;

/// <summary>What the run was asked to do; kept so that resume can finish it the same way.</summary>
public sealed class RunParameters
{
    public IReadOnlyList<string> Services { get; init; } = [];

    public bool ForceRecreate { get; init; }

    /// <summary>Kubernetes: the apply takes over fields another field manager owns.</summary>
    public bool ForceConflicts { get; init; }

    public int WaitTimeoutSeconds { get; init; } = 300;

    public bool PerformClusterManagement { get; init; }

    /// <summary>rollback: the revision to put back.</summary>
    public int? ToRevision { get; init; }

    /// <summary>rollback: <c>--allow-failed</c>, putting back a revision recorded as failed (refused without it).</summary>
    public bool AllowFailed { get; init; }

    /// <summary>restart: <c>--image SERVICE=IMAGE</c> overrides for this run.</summary>
    public IReadOnlyDictionary<string, string> ServiceImages { get; init; } = new Dictionary<string, string>();

    /// <summary>restart: the commit the spec's repository moves to instead of its upstream (kept so a resume moves it to the same one).</summary>
    public string? SourceCommit { get; init; }

    /// <summary>restart: the stack folder pulled instead of deployment.yml's stack-source (kept so a resume syncs from the same).</summary>
    public string? StackSource { get; init; }

    /// <summary>restart: the spec D is synced from instead of deployment.yml's spec-source.</summary>
    public string? SpecSource { get; init; }

    /// <summary>restart: <c>--force</c>, no DNS probe of a changed http-proxy host name.</summary>
    public bool SkipDnsProbe { get; init; }
}
