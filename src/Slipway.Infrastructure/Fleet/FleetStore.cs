using System.Globalization;
using System.Text.Json;
using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Files;
using Slipway.Infrastructure.Pipeline;

namespace Slipway.Infrastructure.Fleet;

/// <summary>
/// The orchestrator's fleet state next to the inventory: <c>.slipway/fleet/runs/</c> and the fleet lock. A record that
/// cannot be read (a hand edit, a truncated write, a folder in its place) is named with the way out, never a trace.
/// </summary>
public sealed class FleetStore(string inventoryFile)
{
    public string Directory { get; } = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(inventoryFile))!, ".slipway", "fleet");

    public string Runs => Path.Combine(Directory, "runs");

    /// <summary>Where the hint tells the operator to move a damaged record (out of runs/, kept for a look).</summary>
    public string DamagedFolder => Path.Combine(Directory, "runs-damaged");

    public string LockFile => Path.Combine(Directory, "lock");

    public void Save(FleetRun run)
    {
        Create();
        System.IO.Directory.CreateDirectory(Runs);
        AtomicFile.WriteText(Path.Combine(Runs, run.Id + ".json"), JsonSerializer.Serialize(run, FleetJson.Default.FleetRun));
    }

    /// <summary>The state folder, kept out of the operator repository's commits by its own .gitignore.</summary>
    private void Create()
    {
        System.IO.Directory.CreateDirectory(Directory);
        var ignore = Path.Combine(Directory, ".gitignore");
        if (!File.Exists(ignore)) File.WriteAllText(ignore, "# Slipway's fleet run records and lock: orchestrator state, not source.\n*\n");
    }

    /// <summary>The newest fleet run (ids sort by time) that <paramref name="where"/> accepts, or null; a damaged record on the way is an error.</summary>
    public FleetRun? Latest(Func<FleetRun, bool>? where = null)
    {
        if (!System.IO.Directory.Exists(Runs)) return null;

        // Folders too: a folder where a record should be is named, not skipped (skipping would resume an older run).
        foreach (var file in System.IO.Directory.EnumerateFileSystemEntries(Runs, "*.json").Order(StringComparer.Ordinal).Reverse())
        {
            var run = Read(file);
            if (where is null || where(run)) return run;
        }

        return null;
    }

    public FleetRun Load(string id)
    {
        var file = Path.Combine(Runs, id + ".json");
        if (!File.Exists(file) && !System.IO.Directory.Exists(file)) throw new SlipwayException(FailureReason.NotFound, $"no fleet run {id} in {Runs}", "slipway fleet status shows the newest");
        return Read(file);
    }

    private FleetRun Read(string file)
    {
        if (System.IO.Directory.Exists(file)) throw Damaged(file, "it is a folder");
        FleetRun? run;
        try
        {
            run = JsonSerializer.Deserialize(InputFile.ReadText(file), FleetJson.Default.FleetRun);
        }
        catch (JsonException ex)
        {
            throw Damaged(file, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidInputException)
        {
            throw Damaged(file, ex.Message);
        }

        if (run is null) throw Damaged(file, "it holds null");
        if (Problem(run, Path.GetFileNameWithoutExtension(file)) is { } problem) throw Damaged(file, problem);
        return run;
    }

    private SlipwayException Damaged(string file, string why) => new(FailureReason.InvalidInput,
        $"the fleet run record {file} cannot be read ({why})",
        $"it is the orchestrator's record, not source: move it aside (mkdir -p {DamagedFolder} && mv {file} {DamagedFolder}/), then the fleet commands read the run before it; each host keeps its own runs (slipway deployment --dir D history)");

    private static readonly HashSet<string> Commands = ["deploy", "resume", "rollback"];
    private static readonly HashSet<string> RunStates = ["running", "succeeded", "failed", "refused", "declined"];
    private static readonly HashSet<string> HostStates = ["pending", "running", "succeeded", "failed", "unreachable", "skipped", "not-started"];

    /// <summary>What makes a record that parsed as JSON unusable (a key missing or null, a value no fleet run writes), or null.</summary>
    internal static string? Problem(FleetRun run, string fileId)
    {
        if (string.IsNullOrEmpty(run.Id)) return "it has no id";
        if (run.Id != fileId) return $"its id {run.Id} is not its file name";
        if (run.Command is null || !Commands.Contains(run.Command)) return $"command '{run.Command}' is not one of deploy, resume, rollback";
        if (string.IsNullOrEmpty(run.Commit)) return "it has no commit";
        if (run.State is null || !RunStates.Contains(run.State)) return $"state '{run.State}' is not a fleet run state";
        if (run.Hosts is null) return "hosts is null";
        foreach (var host in run.Hosts)
        {
            if (host is null || string.IsNullOrEmpty(host.Host)) return "a host has no name";
            if (host.State is null || !HostStates.Contains(host.State)) return $"host {host.Host}: state '{host.State}' is not a host state";
            if (host.Checks is null || host.Checks.Any(c => c is null || c.Name is null || c.Status is null)) return $"host {host.Host}: a check is null or incomplete";
            if (host.Deployments is null) return $"host {host.Host}: deployments is null";
            foreach (var item in host.Deployments)
            {
                if (item is null || string.IsNullOrEmpty(item.Deployment) || string.IsNullOrEmpty(item.Dir)) return $"host {host.Host}: a deployment has no name or dir";
                if (item.State is null) return $"host {host.Host}, {item.Deployment}: it has no state";
            }
        }

        return null;
    }

    public static string NewId(TimeProvider clock) =>
        clock.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..2]);

    /// <summary>
    /// Takes the fleet lock (one fleet run at a time per inventory). A lock whose process is gone, or that names no process
    /// (not JSON, null, a folder, keys missing: only a hand edit makes one, the file is written whole before it appears),
    /// is taken over with a warning naming it; one from another machine is refused, since its process cannot be seen.
    /// </summary>
    public FleetLock Lock(string command, string runId, Action<string> warn)
    {
        Create();
        var path = LockFile;
        var pid = Environment.ProcessId;
        var me = new FleetLockOwner(pid, Environment.MachineName, command, runId, DateTimeOffset.UtcNow, DeploymentLock.ProcessStartOf(pid) ?? 0);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (TryCreate(path, JsonSerializer.Serialize(me, FleetJson.Default.FleetLockOwner))) return new FleetLock(path, me);
            var (holder, unreadable) = ReadLock(path);
            if (holder is null && unreadable is null) continue; // released between our attempt and the read
            if (holder is not null)
            {
                var what = $"{holder.Command} {holder.RunId} (pid {holder.Pid} on {holder.Host}, since {holder.Since:u})";
                if (holder.Host != Environment.MachineName)
                {
                    throw new SlipwayException(FailureReason.Locked, $"the fleet lock {path} is held by {what}, on another machine: whether it still runs cannot be seen from here",
                        $"if that run is over, remove {path}");
                }

                if (Alive(holder))
                {
                    throw new SlipwayException(FailureReason.Locked, $"another fleet run holds the fleet lock: {what}",
                        $"wait for it, or remove {path} if that process is not Slipway");
                }

                warn($"taking over the fleet lock {path} of {what}: that process is gone");
            }
            else
            {
                warn($"taking over the fleet lock {path}: {unreadable}, so no run holds it");
            }

            Remove(path);
        }

        throw new SlipwayException(FailureReason.Locked, $"could not take the fleet lock {path}: it keeps changing hands", "try again");
    }

    /// <summary>Written whole beside its name, then linked into place without overwriting: of two runs exactly one gets it.</summary>
    private static bool TryCreate(string path, string text)
    {
        var temp = $"{path}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            File.WriteAllText(temp, text + "\n");
            File.Move(temp, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path) || System.IO.Directory.Exists(path))
        {
            return false;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>The holder, or why the lock names none (null, null: there is no lock).</summary>
    internal static (FleetLockOwner? Holder, string? Unreadable) ReadLock(string path)
    {
        if (System.IO.Directory.Exists(path)) return (null, "it is a folder");
        try
        {
            var holder = JsonSerializer.Deserialize(File.ReadAllText(path), FleetJson.Default.FleetLockOwner);
            if (holder is null) return (null, "it holds null");
            if (holder.Pid <= 0 || string.IsNullOrEmpty(holder.Host)) return (null, "it names no process");
            return (holder with { Command = holder.Command ?? "?", RunId = holder.RunId ?? "?" }, null);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return (null, null);
        }
        catch (JsonException e)
        {
            return (null, "it is not a fleet lock (" + e.Message + ")");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, "it cannot be read (" + e.Message + ")");
        }
    }

    /// <summary>Its process still runs: same pid, and the same process (its start time) when the lock recorded one.</summary>
    private static bool Alive(FleetLockOwner holder) =>
        DeploymentLock.ProcessStartOf(holder.Pid) is { } start && (holder.ProcessStart == 0 || start == holder.ProcessStart);

    /// <summary>Renamed first, so that two runs taking over the same stale lock cannot both delete a fresh one.</summary>
    private static void Remove(string path)
    {
        var aside = $"{path}.stale-{Guid.NewGuid():N}";
        try
        {
            if (System.IO.Directory.Exists(path))
            {
                System.IO.Directory.Move(path, aside);
                System.IO.Directory.Delete(aside, recursive: true);
            }
            else
            {
                File.Move(path, aside);
                File.Delete(aside);
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Another run took it over first.
        }
    }
}

/// <summary>Who holds the fleet lock; <see cref="ProcessStart"/> (ticks since boot, 0: not known) tells a reused pid apart.</summary>
public sealed record FleetLockOwner(int Pid, string Host, string Command, string RunId, DateTimeOffset Since, long ProcessStart = 0);

public sealed class FleetLock(string path, FleetLockOwner owner) : IDisposable
{
    /// <summary>Removes the lock if it is still this run's (a stale-lock takeover by another run leaves theirs alone).</summary>
    public void Dispose()
    {
        try
        {
            if (FleetStore.ReadLock(path).Holder is { } holder && holder.Pid == owner.Pid && holder.RunId == owner.RunId) File.Delete(path);
        }
        catch (IOException)
        {
            // The next run takes a lock whose process is gone over.
        }
    }
}
