using System.Text.Json;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Files;

namespace Slipway.Infrastructure.Pipeline;

/// <summary>D/.slipway/runs/: one folder per run holding run.json.</summary>
public sealed class RunStore(DeploymentLayout layout)
{
    public string Root => Path.Combine(layout.State, "runs");

    public string Directory(string runId) => Path.Combine(Root, runId);

    public string FileOf(string runId) => Path.Combine(Directory(runId), "run.json");

    /// <summary>The diagnosis the failure path wrote for a run (the state when it failed), when it has one.</summary>
    public string DiagnosisFile(string runId) => Path.Combine(Directory(runId), "diagnosis.txt");

    public void Save(RunRecord run) =>
        AtomicFile.WriteText(FileOf(run.Id), JsonSerializer.Serialize(run, StateJson.Default.RunRecord) + "\n");

    public RunRecord Load(string runId)
    {
        var file = FileOf(runId);
        try
        {
            var text = File.ReadAllText(file);
            if (StateFile.Lacks(text, Shape) is { Count: > 0 } lacks) throw new DamagedRunException(runId, file, StateFile.Describe(lacks), SetAsideFolder);
            return JsonSerializer.Deserialize(text, StateJson.Default.RunRecord) ?? throw new JsonException("the file holds null");
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new DamagedRunException(runId, file, ex.Message, SetAsideFolder);
        }
    }

    /// <summary>What every run.json Slipway writes holds; the lists a newer Slipway added may be absent, never null.</summary>
    private static readonly StateFile.Shape Shape = new(
        ["id", "command", "state", "startedAt", "stages"],
        ["owner", "host", "parameters", "carriedPins", "built", "builtPins", "overridePins", "children", "registryLogins", "pulls", "syncedFiles", "sources", "recreated", "logs"],
        "stages", ["name", "state"]);

    /// <summary>Where <see cref="SetAside"/> moves damaged runs: out of runs/, kept for a look.</summary>
    public string SetAsideFolder => Path.Combine(layout.State, "runs-damaged");

    /// <summary>Moves a run whose record cannot be read out of runs/ (to <see cref="SetAsideFolder"/>), so the next run can start.</summary>
    public string SetAside(string runId)
    {
        System.IO.Directory.CreateDirectory(SetAsideFolder);
        var target = Path.Combine(SetAsideFolder, $"{runId}-{Guid.NewGuid().ToString("N")[..6]}");
        System.IO.Directory.Move(Directory(runId), target);
        return target;
    }

    /// <summary>Run ids, oldest first (ids start with a UTC timestamp).</summary>
    public IReadOnlyList<string> Ids() =>
        System.IO.Directory.Exists(Root)
            ? System.IO.Directory.EnumerateDirectories(Root).Select(Path.GetFileName).OfType<string>()
                .Where(id => File.Exists(FileOf(id))).Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>The newest run (ids sort by time), read without looking at the older ones.</summary>
    public RunRecord? Latest()
    {
        if (!System.IO.Directory.Exists(Root)) return null;
        var newest = System.IO.Directory.EnumerateDirectories(Root).Select(Path.GetFileName).OfType<string>()
            .OrderDescending(StringComparer.Ordinal).FirstOrDefault(id => File.Exists(FileOf(id)));
        return newest is null ? null : Load(newest);
    }

    /// <summary>
    /// Marks D's latest run failed when it was interrupted (killed, or ended by a signal) and never finished: the lock is
    /// ours now, so it never will, and what <paramref name="by"/> does supersedes it. Returns it when it was.
    /// </summary>
    public RunRecord? AbandonInterrupted(string by, DateTimeOffset now)
    {
        if (Latest() is not { State: RunState.Running or RunState.Interrupted } interrupted) return null;
        interrupted.State = RunState.Failed;
        interrupted.Failure = $"interrupted at stage {interrupted.Next?.Name ?? "?"}; superseded by {by}";
        interrupted.FinishedAt = now;
        Save(interrupted);
        return interrupted;
    }

    /// <summary>A sortable id: UTC time to the millisecond, the command, and a random suffix.</summary>
    public static string NewId(DateTimeOffset now, string command) =>
        $"{now.UtcDateTime:yyyyMMdd-HHmmssfff}-{command}-{Guid.NewGuid().ToString("N")[..4]}";

    /// <summary>Deletes the oldest finished runs beyond <paramref name="keep"/> (their logs stay in .slipway/logs/).</summary>
    public void Prune(int keep)
    {
        var ids = Ids();
        foreach (var id in ids.Take(Math.Max(0, ids.Count - keep)))
        {
            System.IO.Directory.Delete(Directory(id), recursive: true);
        }
    }
}

/// <summary>A run record that cannot be read (hand edit, disk trouble): named, with the way out.</summary>
public sealed class DamagedRunException(string runId, string file, string why, string setAsideFolder)
    : SlipwayException(FailureReason.InvalidInput, $"the run record {file} cannot be read ({why})",
        $"'deployment --dir D start --break-lock' (or restart/rollback --break-lock) moves that run to {setAsideFolder} and starts a new one; nothing else is touched")
{
    public string RunId { get; } = runId;
}
