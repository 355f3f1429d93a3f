using Slipway.Core.Diagnostics;

namespace Slipway.Infrastructure.Verification;

/// <summary>Every check's result, in the order the checks were given.</summary>
public sealed record VerifyReport(IReadOnlyList<CheckResult> Results)
{
    public bool Passed => Results.All(r => r.Passed);

    public IReadOnlyList<CheckResult> Failures => Results.Where(r => !r.Passed).ToList();

    /// <summary>A few lines for the console and the run log; never a secret (details are redacted by the runner).</summary>
    public string Summary()
    {
        if (Results.Count == 0) return "verify: no checks in the spec";
        var head = Passed
            ? $"verify: {Results.Count} of {Results.Count} check{(Results.Count == 1 ? "" : "s")} passed"
            : $"verify: {Failures.Count} of {Results.Count} check{(Results.Count == 1 ? "" : "s")} failed";
        return head + "\n" + string.Join("\n", Results.Select(r => "  " + r.Describe()));
    }

    /// <summary>
    /// Throws with the summary when a check failed: a check that can never be probed as written is invalid input,
    /// one that kept failing means the deployment did not become healthy in time.
    /// </summary>
    public void ThrowIfFailed()
    {
        if (!Passed) throw new SlipwayException(Reason, Summary(), Hint);
    }

    /// <summary>The failure of a verify stage: <paramref name="what"/> and the first failed check, on one line.</summary>
    public SlipwayException Failure(string what) => new(Reason, $"{what}: {Failures[0].DescribeOneLine()}", Hint);

    private FailureReason Reason => Failures.All(f => f.Outcome == CheckOutcome.Unresolvable) ? FailureReason.InvalidInput : FailureReason.VerifyTimeout;

    private const string Hint = "the services' state and last log lines are in the run log under .slipway/logs/ of the deployment directory";
}
