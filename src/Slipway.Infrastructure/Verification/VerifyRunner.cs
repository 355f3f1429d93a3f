using System.Globalization;
using Slipway.Core.Diagnostics;
using Slipway.Core.Verification;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Verification;

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
    public Task<VerifyReport> RunAsync(IReadOnlyList<VerifyCheck> checks, IDeploymentBackend backend, Action<string>? progress, CancellationToken cancellationToken,
        TimeSpan? budget = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return RunAsync(checks, (check, ct) => ResolveAsync(check, backend, ct), progress, cancellationToken, budget,
            backend is IContainerAddresses containers ? (check, timeout, ct) => InContainerAsync(check, backend, containers, timeout, ct) : null);
    }

    /// <summary>The same checks against the addresses <paramref name="address"/> gives for each (HOST:PORT).</summary>
    /// <param name="confirmTcp">For a TCP check the published address accepted: a refusal from the container itself, or null.</param>
    public async Task<VerifyReport> RunAsync(IReadOnlyList<VerifyCheck> checks, Func<VerifyCheck, CancellationToken, Task<string>> address, Action<string>? progress,
        CancellationToken cancellationToken, TimeSpan? budget = null, Func<VerifyCheck, TimeSpan, CancellationToken, Task<ProbeOutcome?>>? confirmTcp = null)
    {
        ArgumentNullException.ThrowIfNull(checks);
        ArgumentNullException.ThrowIfNull(address);
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
        var results = await Task.WhenAll(checks.Select(c => RunCheckAsync(c, limit is { } l && l < c.Timeout ? l : c.Timeout, address, confirmTcp, Report, cancellationToken)));
        return new VerifyReport(results);
    }

    private async Task<CheckResult> RunCheckAsync(VerifyCheck check, TimeSpan timeout, Func<VerifyCheck, CancellationToken, Task<string>> resolve,
        Func<VerifyCheck, TimeSpan, CancellationToken, Task<ProbeOutcome?>>? confirmTcp, Action<string> progress, CancellationToken cancellationToken)
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
                address ??= await resolve(check, cancellationToken);
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
                    if (outcome.Succeeded && confirmTcp is not null && await confirmTcp(check, attemptTimeout, cancellationToken) is { } refused) outcome = refused;
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

    /// <summary>
    /// The published port accepted; the container's own answer on its port decides: a refusal there means nothing listens
    /// (the proxy would hang up later), anything else (no route from here, a timeout) leaves the published answer standing.
    /// </summary>
    private async Task<ProbeOutcome?> InContainerAsync(VerifyCheck check, IDeploymentBackend backend, IContainerAddresses containers, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var port = await ContainerPortAsync(check, backend, cancellationToken);
        foreach (var address in await containers.ContainerAddressesAsync(check.Service, cancellationToken))
        {
            var direct = await probe.TcpConnectAsync(address, port, timeout, cancellationToken);
            if (direct.Refused)
            {
                return ProbeOutcome.Failed($"connection accepted at the published port, but nothing listens on port {port} in the container ({address}:{port} refused it)");
            }
        }

        return null;
    }

    /// <summary>The service's published address for the check's port; a check without a port takes the one port the service publishes.</summary>
    private static async Task<string> ResolveAsync(VerifyCheck check, IDeploymentBackend backend, CancellationToken cancellationToken) =>
        await backend.PortAsync(check.Service, (await ContainerPortAsync(check, backend, cancellationToken)).ToString(CultureInfo.InvariantCulture), cancellationToken);

    /// <summary>The container port a check probes: its own, or the one TCP port the service publishes.</summary>
    private static async Task<int> ContainerPortAsync(VerifyCheck check, IDeploymentBackend backend, CancellationToken cancellationToken)
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

        return port.Value;
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

    /// <summary>A check that can never be probed as written (asking again cannot help).</summary>
    internal sealed class UnresolvableCheckException(string message) : Exception(message);
}
