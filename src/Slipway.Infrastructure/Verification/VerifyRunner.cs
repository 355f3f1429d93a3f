using System.Globalization;
using Slipway.Core.Diagnostics;
using Slipway.Core.Verification;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Processes;

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

/// <summary>
/// Runs the spec's verify checks against the host address where the backend publishes each service's port
/// (<see cref="IDeploymentBackend.PortAsync"/>), retrying each until it passes or its timeout is spent. Checks run
/// concurrently, so the whole verify takes as long as the slowest check, not their sum.
/// </summary>
internal sealed class VerifyRunner(IProbe probe, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Pause between attempts of one check.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest single attempt; an attempt never outlives its check's deadline.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Values to redact from every detail (error bodies, backend messages).</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];

    /// <param name="budget">The most any check may take (what is left of the run's wait): a check's own timeout is cut to it.</param>
    public async Task<VerifyReport> RunAsync(IReadOnlyList<VerifyCheck> checks, IDeploymentBackend backend, Action<string>? progress, CancellationToken cancellationToken,
        TimeSpan? budget = null)
    {
        ArgumentNullException.ThrowIfNull(checks);
        ArgumentNullException.ThrowIfNull(backend);
        var gate = new Lock();
        void Report(string line)
        {
            if (progress is null) return;
            lock (gate)
            {
                progress(line);
            }
        }

        var limit = budget is { } b && b < TimeSpan.Zero ? TimeSpan.Zero : budget;
        var results = await Task.WhenAll(checks.Select(c => RunCheckAsync(c, limit is { } l && l < c.Timeout ? l : c.Timeout, backend, Report, cancellationToken)));
        return new VerifyReport(results);
    }

    private async Task<CheckResult> RunCheckAsync(VerifyCheck check, TimeSpan timeout, IDeploymentBackend backend, Action<string> progress, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        TimeSpan Elapsed() => _time.GetElapsedTime(started);
        progress($"verify {check.Describe()}");

        string? address = null;
        string? target = null;
        var detail = "not probed";
        var attempts = 0;
        while (true)
        {
            attempts++;
            var remaining = timeout - Elapsed();
            var attemptTimeout = remaining < AttemptTimeout ? remaining : AttemptTimeout;
            if (attemptTimeout < TimeSpan.FromMilliseconds(50)) attemptTimeout = TimeSpan.FromMilliseconds(50);
            string? previous = detail;
            try
            {
                address ??= await ResolveAsync(check, backend, cancellationToken);
                var (host, port) = HostAndPort(address);
                ProbeOutcome outcome;
                if (check.Kind == ProbeKind.Http)
                {
                    var url = new Uri($"http://{(host.Contains(':') ? $"[{host}]" : host)}:{port.ToString(CultureInfo.InvariantCulture)}{check.Path}");
                    target = $"GET {url}";
                    outcome = await probe.HttpGetAsync(url, check.ExpectStatus, attemptTimeout, cancellationToken);
                }
                else
                {
                    target = $"TCP {address}";
                    outcome = await probe.TcpConnectAsync(host, port, attemptTimeout, cancellationToken);
                }

                detail = Redact(outcome.Detail);
                if (outcome.Succeeded)
                {
                    progress($"verify {check.Service}: {target} {detail}");
                    return new CheckResult(check, true, target, attempts, Elapsed(), detail);
                }
            }
            catch (UnresolvableCheckException e)
            {
                // Asking again cannot help: the check itself needs fixing.
                return new CheckResult(check, false, target, attempts, Elapsed(), Redact(e.Message)) { Outcome = CheckOutcome.Unresolvable };
            }
            catch (SlipwayException e)
            {
                // The service may still be (re)starting: its port is not published yet.
                detail = Redact(e.Message);
            }

            if (detail != previous)
            {
                progress($"verify {check.Service}: {(target is null ? "" : target + " ")}{detail}; retrying");
            }

            if (Elapsed() + RetryInterval >= timeout)
            {
                var cut = timeout < check.Timeout ? $" (the run's wait left only {Durations.Format(timeout)} of the check's {Durations.Format(check.Timeout)})" : "";
                return new CheckResult(check, false, target, attempts, Elapsed(), $"{detail}; gave up after {Durations.Format(timeout)}{cut}");
            }

            await Task.Delay(RetryInterval, _time, cancellationToken);
        }
    }

    /// <summary>The service's published address for the check's port; a check without a port takes the one port the service publishes.</summary>
    private static async Task<string> ResolveAsync(VerifyCheck check, IDeploymentBackend backend, CancellationToken cancellationToken)
    {
        var port = check.Port;
        if (port is null)
        {
            var states = (await backend.StatusAsync(cancellationToken)).Where(s => s.Service == check.Service).ToList();
            var published = states.SelectMany(s => s.Ports).Where(p => p.HostPort > 0 && p.Protocol == "tcp").Select(p => p.TargetPort).Distinct().Order().ToList();
            if (published.Count > 1)
            {
                throw new UnresolvableCheckException(
                    $"service '{check.Service}' publishes ports {string.Join(", ", published)}: give the check a 'port' (the container port to probe)");
            }

            if (published.Count == 0)
            {
                throw new SlipwayException(FailureReason.NotFound, states.Count == 0
                    ? $"service '{check.Service}' has no running container"
                    : $"service '{check.Service}' publishes no port yet (give the check a 'port' if it should)");
            }

            port = published[0];
        }

        return await backend.PortAsync(check.Service, port.Value.ToString(CultureInfo.InvariantCulture), cancellationToken);
    }

    /// <summary>Splits <c>HOST:PORT</c> (also <c>[::]:PORT</c>); a wildcard host means this machine, so 127.0.0.1.</summary>
    public static (string Host, int Port) HostAndPort(string address)
    {
        var text = address.Trim();
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new UnresolvableCheckException($"the backend gave '{text}' as the service's address, not HOST:PORT");
        }

        var host = text[..colon].Trim('[', ']');
        if (host is "0.0.0.0" or "::" or "" or "*") host = "127.0.0.1";
        return (host, port);
    }

    private string Redact(string text) => SecretRedactor.Redact(text, Secrets);

    private sealed class UnresolvableCheckException(string message) : Exception(message);
}
