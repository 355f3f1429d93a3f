using System.Globalization;
using System.Text.Json;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;

namespace Slipway.Infrastructure.Pipeline;

/// <summary>
/// One run at a time per deployment directory. The lock file is written in full beside its final name and then linked
/// into place without overwriting (O_EXCL semantics: of two runs, exactly one gets it, and nobody sees a half-written lock).
/// </summary>
internal sealed class DeploymentLock : IDisposable
{
    private readonly string _path;
    private bool _released;

    private DeploymentLock(string path, LockOwner owner)
    {
        _path = path;
        Owner = owner;
    }

    public LockOwner Owner { get; }

    /// <summary>Set when acquiring replaced a stale lock (reported to the user).</summary>
    public LockOwner? Replaced { get; private init; }

    public static string PathOf(DeploymentLayout layout) => Path.Combine(layout.State, "lock");

    /// <summary>
    /// Takes the lock for <paramref name="runId"/>. A lock held by a live process is refused (Locked). A stale one (its
    /// process gone from this host) is replaced when <paramref name="breakStale"/> is true, or when it belongs to the
    /// run being resumed (<paramref name="resumingRunId"/>); a lock from another host only with <paramref name="breakStale"/>.
    /// </summary>
    public static DeploymentLock Acquire(DeploymentLayout layout, string command, string runId, bool breakStale, string? resumingRunId = null, TimeProvider? clock = null)
    {
        var path = PathOf(layout);
        var me = new LockOwner(Environment.UserName, Environment.MachineName, Environment.ProcessId, ProcessStartOf(Environment.ProcessId) ?? 0,
            (clock ?? TimeProvider.System).GetUtcNow(), command, runId);
        LockOwner? replaced = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (TryCreate(path, me)) return new DeploymentLock(path, me) { Replaced = replaced };
            var holder = Read(path);
            if (holder is null) continue; // released between our attempt and the read
            var stale = IsStale(holder);
            var foreign = holder.Host != Environment.MachineName;

            // --break-lock breaks a stale lock, or one from another host whose process we cannot see; never a live local one.
            if ((stale && holder.RunId == resumingRunId) || ((stale || foreign) && breakStale))
            {
                // Rename first so that two runs breaking the same stale lock cannot both delete a fresh one.
                var aside = $"{path}.broken-{Guid.NewGuid():N}";
                try
                {
                    if (Directory.Exists(path))
                    {
                        Directory.Move(path, aside);
                        Directory.Delete(aside, recursive: true);
                    }
                    else
                    {
                        File.Move(path, aside);
                        File.Delete(aside);
                    }
                }
                catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
                {
                }

                replaced = holder;
                continue;
            }

            if (stale)
            {
                throw new SlipwayException(FailureReason.Locked,
                    $"{layout.Directory} has a stale lock: {holder}: that process is gone",
                    $"'deployment --dir {layout.Directory} resume' finishes the interrupted run; or break the lock with --break-lock");
            }

            throw new SlipwayException(FailureReason.Locked,
                $"{layout.Directory} is locked by {holder}",
                holder.Host == Environment.MachineName
                    ? "wait for that run to finish"
                    : $"that run is on host {holder.Host}; if it is gone, break the lock with --break-lock");
        }

        throw new SlipwayException(FailureReason.Locked, $"could not take the lock {path}: it keeps changing hands");
    }

    /// <summary>
    /// D's lock for a command that changes D or the live deployment outside a run (stop, deploy create --update,
    /// run-job). It is refused at once, never waited for: a command queued behind a restart would act on what the
    /// restart is changing (a stop would be undone by the restart's rollback, an update would rewrite D mid-run).
    /// </summary>
    public static DeploymentLock ForCommand(DeploymentLayout layout, string command, bool breakStale, TimeProvider clock)
    {
        try
        {
            return Acquire(layout, command, RunStore.NewId(clock.GetUtcNow(), command), breakStale, clock: clock);
        }
        catch (SlipwayException ex) when (ex.Reason == FailureReason.Locked)
        {
            throw new SlipwayException(FailureReason.Locked, $"{command} refused, nothing was changed: {ex.Message}", ex.Hint);
        }
    }

    /// <summary>The current holder of D's lock, or null.</summary>
    public static LockOwner? Holder(DeploymentLayout layout) => Read(PathOf(layout));

    /// <summary>
    /// True when the holder ran on this host and its process is gone (or the pid now belongs to another process). A lock
    /// from another host is never called stale: we cannot see its process.
    /// </summary>
    public static bool IsStale(LockOwner holder)
    {
        if (holder.Host != Environment.MachineName) return false;
        var start = ProcessStartOf(holder.Pid);
        return start is null || (holder.ProcessStart != 0 && start != holder.ProcessStart);
    }

    public void Dispose()
    {
        if (_released) return;
        _released = true;
        if (Read(_path) is { } holder && holder.RunId == Owner.RunId && holder.Pid == Owner.Pid)
        {
            File.Delete(_path);
        }
    }

    private static bool TryCreate(string path, LockOwner owner)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            // Inside the try: a write that fails half-way (disk full) must not leave its temp file behind.
            File.WriteAllText(temp, JsonSerializer.Serialize(owner, StateJson.Default.LockOwner) + "\n");

            // Without overwrite, .NET links the file into place (link(2) fails when the name exists): atomic and exclusive.
            File.Move(temp, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path) || Directory.Exists(path))
        {
            return false;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static readonly StateFile.Shape Shape = new(["owner", "host", "pid", "startedAt", "command", "runId"], []);

    private static LockOwner? Read(string path)
    {
        // Only a hand edit (or disk trouble) makes a lock that is a folder, holds 'null' or is not JSON (the file is
        // written whole before it appears): held by nobody alive, so a stale lock like any other.
        var unreadable = new LockOwner("unknown", Environment.MachineName, 0, 0, DateTimeOffset.MinValue, "unknown", "unknown");
        if (Directory.Exists(path)) return unreadable;
        try
        {
            var text = File.ReadAllText(path);
            // A lock without its host or pid would read as another host's (never stale) or as pid 0's.
            return StateFile.Lacks(text, Shape).Count > 0 ? unreadable : JsonSerializer.Deserialize(text, StateJson.Default.LockOwner) ?? unreadable;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return unreadable;
        }
    }

    /// <summary>
    /// The process's start time in clock ticks since boot (/proc/PID/stat field 22), or null when there is no such
    /// live process; a zombie counts as gone.
    /// </summary>
    internal static long? ProcessStartOf(int pid)
    {
        if (pid <= 0) return null;
        if (!OperatingSystem.IsLinux())
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                return process.HasExited ? null : process.StartTime.ToUniversalTime().Ticks;
            }
            catch (ArgumentException)
            {
                return null;
            }
        }

        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }

        // The command name (field 2) may hold spaces and parentheses: fields after it start past the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        if (fields[0] is "Z" or "X") return null;
        return long.TryParse(fields[19], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks) ? ticks : 0;
    }
}
