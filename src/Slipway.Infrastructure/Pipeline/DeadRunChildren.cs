using Slipway.Infrastructure.Reporting;

namespace Slipway.Infrastructure.Pipeline;

/// <summary>
/// The children a dead run left running (its process was killed alone, so its <c>docker compose up</c> goes on): before
/// anyone acts on D again, each one still alive (same pid and start time, so never a recycled pid) is waited for, up to
/// a bound, then killed. Two composes on one project fight over container names and leave a service gone.
/// </summary>
public static class DeadRunChildren
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(90);

    public static async Task SettleAsync(RunRecord run, IReporter reporter, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (run.Host.Length > 0 && run.Host != Environment.MachineName) return; // another host's processes are not ours to see
        foreach (var child in run.Children.Where(IsAlive).ToList())
        {
            reporter.Warn($"run {run.Id} left pid {child.Pid} ({child.Command}) running; waiting up to {wait.TotalSeconds:0}s for it to finish before going on");
            var deadline = DateTime.UtcNow + wait;
            while (IsAlive(child) && DateTime.UtcNow < deadline) await Task.Delay(200, cancellationToken);
            if (!IsAlive(child)) continue;
            reporter.Warn($"pid {child.Pid} ({child.Command}) still runs after {wait.TotalSeconds:0}s: killing it");
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(child.Pid);
                process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Gone in between.
            }

            var killedBy = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (IsAlive(child) && DateTime.UtcNow < killedBy) await Task.Delay(100, cancellationToken);
        }

        run.Children.Clear();
    }

    private static bool IsAlive(ChildProcess child) =>
        DeploymentLock.ProcessStartOf(child.Pid) is { } start && (child.ProcessStart == 0 || start == child.ProcessStart);
}
