using Slipway.Core.Diagnostics;

namespace Slipway.Infrastructure.Pipeline;

/// <summary>
/// How a run ended, as a value: succeeded, failed (nothing put back), rolled back (the last good revision is live and
/// healthy again) or rollback failed. <see cref="Reason"/> is the failed stage's reason; the CLI maps outcome and
/// reason to an exit code.
/// </summary>
public sealed record RunOutcome(RunRecord Run, string LogPath)
{
    public RunState State => Run.State;

    public bool Succeeded => Run.State == RunState.Succeeded;

    /// <summary>What happened, for the operator (null when the run succeeded).</summary>
    public string? Message { get; init; }

    /// <summary>What to do next.</summary>
    public string? Hint { get; init; }

    /// <summary>Why the failed stage failed.</summary>
    public FailureReason? Reason { get; init; }

    /// <summary>A succeeded run: the deployment's containers or pods as the run last saw them.</summary>
    public IReadOnlyList<Backends.ServiceState>? FinalServices { get; init; }
}
