using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Backends;

namespace Slipway.Infrastructure.Pipeline;

/// <summary>
/// The backend part of verify: polls the deployment's containers/pods until every one runs and none is still starting
/// its health check. An unhealthy or exited one fails at once (its own health-check budget is spent); otherwise the
/// wait ends at the timeout.
/// </summary>
public static class HealthWait
{
    public static async Task<VerifyReport> WaitAsync(IDeploymentBackend backend, IReadOnlyList<string> services, TimeSpan timeout, Action<string> progress,
        CancellationToken cancellationToken, TimeProvider? clock = null, TimeSpan? interval = null)
    {
        clock ??= TimeProvider.System;
        var deadline = clock.GetUtcNow() + timeout;
        while (true)
        {
            var states = (await backend.StatusAsync(cancellationToken)).Where(s => services.Count == 0 || services.Contains(s.Service)).ToList();
            var lines = states.Select(s => $"{s.Service} ({s.Name}): {s.State}{(s.Health is null ? "" : $", {s.Health}")}").ToList();
            var failed = states.Where(HasFailed).ToList();
            if (failed.Count > 0)
            {
                return new VerifyReport(false, [$"not healthy: {string.Join(", ", failed.Select(s => s.Service).Distinct())}", .. lines]);
            }

            var waiting = states.Where(s => !s.IsRunning || s.Health is "starting" or "not ready").ToList();
            if (states.Count > 0 && waiting.Count == 0)
            {
                return new VerifyReport(true, lines);
            }

            if (clock.GetUtcNow() >= deadline)
            {
                return new VerifyReport(false,
                    [states.Count == 0
                        ? $"no containers after {timeout.TotalSeconds:0}s"
                        : $"not healthy after {timeout.TotalSeconds:0}s: {string.Join(", ", waiting.Select(s => s.Service).Distinct())}", .. lines],
                    TimedOut: true);
            }

            progress(states.Count == 0 ? "waiting for containers" : $"waiting for {string.Join(", ", waiting.Select(s => $"{s.Service} ({s.Health ?? s.State})").Distinct())}");
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(500), clock, cancellationToken);
        }
    }

    /// <summary>
    /// Gone for good, not merely slow: compose's unhealthy/exited/dead, and the pod states Kubernetes keeps retrying
    /// without hope (a crash loop, an image it cannot pull, a config it cannot mount).
    /// </summary>
    public static bool HasFailed(ServiceState state) =>
        state.Health == "unhealthy"
        || state.State is "exited" or "dead" or "Failed"
        || state.State.StartsWith("exited:", StringComparison.Ordinal)
        || KubernetesHopeless.Any(reason => state.State == "waiting: " + reason);

    private static readonly string[] KubernetesHopeless =
        ["CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "CreateContainerConfigError", "CreateContainerError"];

    public static SlipwayException Failure(VerifyReport report, string what) =>
        new(FailureReason.VerifyTimeout,
            $"{what}: {string.Join("; ", report.Lines.Take(1))}",
            "'deployment diagnose' shows each service's state, health-check output and last log lines");
}
