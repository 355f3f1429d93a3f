using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Backends;

namespace Slipway.Infrastructure.Pipeline;

/// <summary>
/// The backend part of verify: polls the deployment until its rollouts are done and every container or pod of the
/// asked services is ready. One the backend judges failed fails the wait at once (its own restart and health-check
/// budget is spent); otherwise the wait ends at the timeout.
/// </summary>
public static class HealthWait
{
    /// <summary>How long a container without a health check must have stayed up to count as ready (see <see cref="IContainerStartTimes"/>).</summary>
    public static readonly TimeSpan DefaultSettle = TimeSpan.FromSeconds(2);

    public static async Task<HealthReport> WaitAsync(IDeploymentBackend backend, IReadOnlyList<string> services, TimeSpan timeout, Action<string> progress,
        CancellationToken cancellationToken, TimeProvider? clock = null, TimeSpan? interval = null, TimeSpan? settle = null)
    {
        clock ??= TimeProvider.System;
        var deadline = clock.GetUtcNow() + timeout;
        while (true)
        {
            var snapshot = await backend.HealthAsync(cancellationToken);
            var states = snapshot.Services.Where(s => services.Count == 0 || services.Contains(s.Service)).ToList();
            var lines = states.Select(s => $"{s.Service}{(s.Name.Length == 0 ? "" : $" ({s.Name})")}: {s.State}{(s.Health is null ? "" : $", {s.Health}")}").ToList();
            var failed = states.Where(s => s.Condition == ServiceCondition.Failed).ToList();
            if (failed.Count > 0 || snapshot.FailedRollouts.Count > 0)
            {
                var what = failed.Select(s => $"{s.Service} ({s.Health ?? s.State})").Distinct().Concat(snapshot.FailedRollouts);
                return new HealthReport(false, [$"not healthy: {string.Join(", ", what)}", .. lines]) { Services = snapshot.Services };
            }

            var waiting = states.Where(s => s.Condition != ServiceCondition.Ready).ToList();
            var settling = new List<string>();
            if (states.Count > 0 && waiting.Count == 0 && snapshot.PendingRollouts.Count == 0)
            {
                settling = backend is IContainerStartTimes times ? await JustStartedAsync(times, states, settle ?? DefaultSettle, clock, cancellationToken) : [];
                if (settling.Count == 0) return new HealthReport(true, lines) { Services = snapshot.Services, Notes = snapshot.Notes };
            }

            var pending = waiting.Select(s => $"{s.Service} ({s.Health ?? s.State})").Distinct().Concat(snapshot.PendingRollouts).Concat(settling).ToList();
            if (clock.GetUtcNow() >= deadline)
            {
                return new HealthReport(false,
                    [states.Count == 0 ? $"no containers after {timeout.TotalSeconds:0}s" : $"not healthy after {timeout.TotalSeconds:0}s: {string.Join(", ", pending)}", .. lines],
                    TimedOut: true) { Services = snapshot.Services };
            }

            progress(states.Count == 0 ? "waiting for containers" : $"waiting for {string.Join(", ", pending)}");
            var wait = interval ?? TimeSpan.FromMilliseconds(500);
            if (backend.HealthPollInterval is { } own && own < wait) wait = own;
            await Task.Delay(wait, clock, cancellationToken);
        }
    }

    /// <summary>
    /// The running containers without a health check that started less than <paramref name="settle"/> ago: one that exits
    /// or restarts right after its start must not be called healthy in that moment. One not inspected (gone in between)
    /// is left to the next poll, which sees it as it is. The one rule for such containers: verify and the start-first
    /// rollout's wait for its new containers both ask it.
    /// </summary>
    internal static async Task<List<string>> JustStartedAsync(IContainerStartTimes times, IReadOnlyList<ServiceState> states, TimeSpan settle, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (settle <= TimeSpan.Zero) return [];
        var noCheck = states.Where(s => s.Health is null && s.Id.Length > 0).ToList();
        if (noCheck.Count == 0) return [];
        var started = await times.StartedAtAsync([.. noCheck.Select(s => s.Id)], cancellationToken);
        var now = clock.GetUtcNow();
        return noCheck
            .Where(s => started.TryGetValue(s.Id, out var at) && now - at < settle)
            .Select(s => $"{s.Service} (just started, no health check: up {settle.TotalSeconds:0.#}s first)")
            .Distinct().ToList();
    }

    public static SlipwayException Failure(HealthReport report, string what) =>
        new(FailureReason.VerifyTimeout,
            $"{what}: {string.Join("; ", report.Lines.Take(1))}",
            "'deployment diagnose' shows each service's state, health-check output and last log lines");
}
