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
            return JsonSerializer.Deserialize(File.ReadAllText(file), StateJson.Default.RunRecord)
                ?? throw new JsonException("empty document");
        }
        catch (JsonException ex)
        {
            throw new SlipwayException(FailureReason.InvalidInput, $"{file} is not a valid run record: {ex.Message}",
                "it is Slipway's state; move the run folder away if it was edited by hand");
        }
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
