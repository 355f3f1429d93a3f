using Slipway.Infrastructure.Logging;
using Slipway.Infrastructure.Processes;
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

    /// <summary>Waits for (then ends) the run's children still alive; returns every child it recorded, alive or not, for <see cref="CollectOutput"/>.</summary>
    public static async Task<IReadOnlyList<ChildProcess>> SettleAsync(RunRecord run, IReporter reporter, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (run.Host.Length > 0 && run.Host != Environment.MachineName) return []; // another host's processes are not ours to see
        var recorded = run.Children.ToList();
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
        return recorded;
    }

    /// <summary>
    /// Appends to <paramref name="log"/> what each of <paramref name="children"/> (settled: none runs any more) left in
    /// its output folder, which is then deleted: a child that outlived its slipway wrote there with nobody reading. A
    /// child that ended while its slipway lived has no folder left, and is passed over.
    /// </summary>
    public static void CollectOutput(string runId, IReadOnlyList<ChildProcess> children, FileCommandLog log)
    {
        foreach (var child in children.Where(c => c.OutputFolder is not null && Directory.Exists(c.OutputFolder)))
        {
            log.Note($"output of pid {child.Pid} ({child.Command}), left by run {runId} in {child.OutputFolder}:");
            if (ChildOutputFiles.Collect(child.OutputFolder!, (isError, line) => log.LeftOutput(isError, line)) is { } left) log.Note(left);
        }
    }

    private static bool IsAlive(ChildProcess child) =>
        DeploymentLock.ProcessStartOf(child.Pid) is { } start && (child.ProcessStart == 0 || start == child.ProcessStart);
}
