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

    /// <summary>
    /// Waits for (then ends) the run's children still alive: those it recorded and, given D's <paramref name="directory"/>,
    /// those its record missed (<see cref="Unrecorded"/>). Returns every one of them, alive or not, for <see cref="CollectOutput"/>.
    /// </summary>
    public static async Task<IReadOnlyList<ChildProcess>> SettleAsync(RunRecord run, IReporter reporter, TimeSpan wait, CancellationToken cancellationToken,
        string? directory = null)
    {
        if (run.Host.Length > 0 && run.Host != Environment.MachineName) return []; // another host's processes are not ours to see
        var pids = run.Children.Select(c => c.Pid).ToHashSet();
        var missed = directory is null ? [] : Unrecorded(directory, pids);
        var recorded = run.Children.Concat(missed).ToList();
        foreach (var child in run.Children.Where(IsAlive).Concat(missed).ToList())
        {
            var how = pids.Contains(child.Pid) ? "" : ", which its record missed (killed before run.json was saved),";
            reporter.Warn($"run {run.Id} left pid {child.Pid} ({child.Command}){how} running; waiting up to {wait.TotalSeconds:0}s for it to finish before going on");
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

    /// <summary>
    /// Children of a run on D that its record does not name: started, but with their slipway killed before run.json
    /// recorded their pid (it is saved, with fsync, just after each child starts). Such a child works in D and writes to
    /// a slipway-child-* folder (its stdout or stderr there, or, in the instant before its shell execs it, the files'
    /// paths among its arguments); while D's lock is ours no live run has such children, so each one found is a dead
    /// run's. Linux only (/proc); a process of another user is not seen.
    /// </summary>
    internal static List<ChildProcess> Unrecorded(string directory, IReadOnlySet<int> recorded)
    {
        if (!OperatingSystem.IsLinux()) return [];
        var home = RealPath(directory);
        var temp = RealPath(Path.GetTempPath());
        bool InFolder(string? path, out string folder)
        {
            folder = path is null ? "" : Path.GetDirectoryName(path) ?? "";
            return path is not null && Path.GetFileName(path) is "stdout" or "stderr" && Path.GetDirectoryName(folder) == temp
                && Path.GetFileName(folder).StartsWith("slipway-child-", StringComparison.Ordinal);
        }

        var found = new List<(ChildProcess Child, int Parent)>();
        foreach (var entry in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid) || pid == Environment.ProcessId || recorded.Contains(pid)) continue;
            try
            {
                if (new DirectoryInfo(Path.Combine(entry, "cwd")).LinkTarget != home) continue;
                var folder = "";
                var writes = new[] { "1", "2" }.Any(fd => InFolder(new FileInfo(Path.Combine(entry, "fd", fd)).LinkTarget, out folder))
                    || File.ReadAllText(Path.Combine(entry, "cmdline")).Split('\0').Any(argument => InFolder(argument, out folder));
                if (!writes || DeploymentLock.ProcessStartOf(pid) is not { } start) continue;
                found.Add((new ChildProcess(pid, start, File.ReadAllText(Path.Combine(entry, "comm")).Trim(), folder), ParentOf(entry)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone in between, or not ours to look at.
            }
        }

        // A child of one of them (docker's compose plugin under the docker CLI) ends with it: waited for through its parent.
        var pids = found.Select(f => f.Child.Pid).Concat(recorded).ToHashSet();
        return [.. found.Where(f => !pids.Contains(f.Parent)).Select(f => f.Child)];
    }

    /// <summary>The parent pid (/proc/PID/stat field 4, after the command name, which may hold spaces and parentheses).</summary>
    private static int ParentOf(string entry)
    {
        var stat = File.ReadAllText(Path.Combine(entry, "stat"));
        return int.TryParse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parent) ? parent : 0;
    }

    /// <summary>The path with every symbolic link in it resolved, as /proc/PID/cwd names a folder.</summary>
    private static string RealPath(string path)
    {
        var real = "/";
        foreach (var part in Path.GetFullPath(path).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(real, part);
            real = new DirectoryInfo(next).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? next;
        }

        return real;
    }

    private static bool IsAlive(ChildProcess child) =>
        DeploymentLock.ProcessStartOf(child.Pid) is { } start && (child.ProcessStart == 0 || start == child.ProcessStart);
}
