using System.Globalization;
using Slipway.Core.Verification;

namespace Slipway.Infrastructure.Verification;

/// <summary>How one check ended: it passed; it kept failing until its time was up; or it could never be probed as written.</summary>
public enum CheckOutcome
{
    Passed,

    /// <summary>Every attempt failed until the check's timeout (or the run's remaining wait) was spent.</summary>
    GaveUp,

    /// <summary>The check cannot be probed as written (no single port to take, an address that is not HOST:PORT): asking again cannot help.</summary>
    Unresolvable,
}

/// <summary>The outcome of one check: what was probed, how often, and the last error when it never passed.</summary>
/// <param name="Target">What the last attempt probed (<c>GET http://127.0.0.1:32768/health</c>); null when no address was found.</param>
/// <param name="Detail">The last attempt's outcome in words: the answer when passed, the last error when failed.</param>
public sealed record CheckResult(VerifyCheck Check, bool Passed, string? Target, int Attempts, TimeSpan Elapsed, string Detail)
{
    public CheckOutcome Outcome { get; init; } = Passed ? CheckOutcome.Passed : CheckOutcome.GaveUp;

    public string Describe() => $"{Label}  {Check.Describe()}\n      {Summary()}";

    /// <summary>The same on one line, for run logs and result lines.</summary>
    public string DescribeOneLine() => $"{Label}  {Check.Describe()} — {Summary()}";

    private string Label => Passed ? "ok" : "FAILED";

    private string Summary()
    {
        var attempts = Attempts == 1 ? "1 attempt" : $"{Attempts} attempts";
        var probed = Target is null ? "" : Target + ": ";
        return $"{probed}{Detail} ({attempts} in {Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s)";
    }
}
