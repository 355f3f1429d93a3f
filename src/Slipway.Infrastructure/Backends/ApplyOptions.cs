namespace Slipway.Infrastructure.Backends;

public sealed record ApplyOptions
{
    /// <summary>Recreate every container even when its configuration did not change.</summary>
    public bool ForceRecreate { get; init; }

    /// <summary>Kubernetes: take over fields another field manager owns instead of failing on them (asked for explicitly only).</summary>
    public bool ForceConflicts { get; init; }

    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Wait for health inside the apply (compose up --wait, k8s rollout status). The pipeline turns it off and waits in
    /// its own verify stage, so that apply and verify are separate, resumable stages; every backend honours it.
    /// </summary>
    public bool Wait { get; init; } = true;

    public IReadOnlyList<string> Services { get; init; } = [];

    /// <summary>Image references to replace in what is applied, keyed as <see cref="IDeploymentBackend.PinKeys"/> says.</summary>
    public IReadOnlyDictionary<string, string> ImagePins { get; init; } = new Dictionary<string, string>();

    /// <summary>k8s-kind: create the kind cluster when it does not run yet.</summary>
    public bool PerformClusterManagement { get; init; }

    public Action<string>? Progress { get; init; }

    /// <summary>
    /// When apply and verify together must be done (the run's rollout timeout, from apply's start): a start-first
    /// cutover waits for its new containers until then. Null: <see cref="WaitTimeout"/> from now.
    /// </summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>The spec's verify checks of one service against a start-first candidate's own addresses; null: none are run.</summary>
    public CandidateCheck? CheckCandidate { get; init; }
}

/// <summary>
/// Runs the spec's verify checks of <paramref name="service"/> (none: passes) against a new container that is not serving
/// yet, whose address for a check <paramref name="address"/> gives, within <paramref name="budget"/>.
/// </summary>
public delegate Task<CandidateVerdict> CandidateCheck(string service, Func<Core.Verification.VerifyCheck, CancellationToken, Task<string>> address, TimeSpan budget,
    CancellationToken cancellationToken);

/// <summary>A candidate's checks: passed, or the first failure on one line.</summary>
public sealed record CandidateVerdict(bool Passed, int Checks, string Detail);
