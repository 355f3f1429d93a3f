using System.Globalization;
using System.Text.Json;
using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Files;

namespace Slipway.Infrastructure.Fleet;

/// <summary>The orchestrator's fleet state next to the inventory: <c>.slipway/fleet/runs/</c> and the fleet lock.</summary>
public sealed class FleetStore(string inventoryFile)
{
    public string Directory { get; } = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(inventoryFile))!, ".slipway", "fleet");

    private string Runs => Path.Combine(Directory, "runs");

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

    /// <summary>The newest fleet run (ids sort by time), or null.</summary>
    public FleetRun? Latest(Func<FleetRun, bool>? where = null)
    {
        if (!System.IO.Directory.Exists(Runs)) return null;
        foreach (var file in System.IO.Directory.GetFiles(Runs, "*.json").Order(StringComparer.Ordinal).Reverse())
        {
            var run = JsonSerializer.Deserialize(File.ReadAllText(file), FleetJson.Default.FleetRun);
            if (run is not null && (where is null || where(run))) return run;
        }

        return null;
    }

    public FleetRun Load(string id)
    {
        var file = Path.Combine(Runs, id + ".json");
        if (!File.Exists(file)) throw new SlipwayException(FailureReason.NotFound, $"no fleet run {id} in {Runs}");
        return JsonSerializer.Deserialize(File.ReadAllText(file), FleetJson.Default.FleetRun)!;
    }

    public static string NewId(TimeProvider clock) =>
        clock.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..2]);

    /// <summary>Takes the fleet lock (one fleet run at a time per inventory); a lock whose process is gone is taken over.</summary>
    public FleetLock Lock(string command, string runId, Action<string> warn)
    {
        Create();
        var path = Path.Combine(Directory, "lock");
        var me = new FleetLockOwner(Environment.ProcessId, Environment.MachineName, command, runId, DateTimeOffset.UtcNow);
        var text = JsonSerializer.Serialize(me, FleetJson.Default.FleetLockOwner);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
                using (var writer = new StreamWriter(stream))
                {
                    writer.Write(text);
                }

                return new FleetLock(path);
            }
            catch (IOException) when (File.Exists(path))
            {
                FleetLockOwner? holder = null;
                try
                {
                    holder = JsonSerializer.Deserialize(File.ReadAllText(path), FleetJson.Default.FleetLockOwner);
                }
                catch (JsonException)
                {
                    // A torn lock file: its writer died mid-write, so it is stale.
                }

                if (holder is not null && holder.Host == Environment.MachineName && System.IO.Directory.Exists($"/proc/{holder.Pid}"))
                {
                    throw new SlipwayException(FailureReason.Locked, $"another fleet run holds the fleet lock: {holder.Command} {holder.RunId} (pid {holder.Pid}, since {holder.Since:u})",
                        $"wait for it, or remove {path} if that process is not Slipway");
                }

                warn($"taking over the fleet lock of {holder?.Command ?? "an unreadable run"} {holder?.RunId} (pid {holder?.Pid}): that process is gone");
                File.Delete(path);
            }
        }

        throw new SlipwayException(FailureReason.Locked, $"could not take the fleet lock {path}");
    }
}

public sealed record FleetLockOwner(int Pid, string Host, string Command, string RunId, DateTimeOffset Since);

public sealed class FleetLock(string path) : IDisposable
{
    public void Dispose()
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The next run takes a lock whose process is gone over.
        }
    }
}
