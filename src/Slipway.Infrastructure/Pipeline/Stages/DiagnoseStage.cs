using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Pipeline.Stages;

/// <summary>
/// The failure path's first stage: the backend's diagnosis into the run log and a summary on the console, and what
/// was applied recorded as a failed revision (for history and a later look).
/// </summary>
internal sealed class DiagnoseStage(int tailLines) : IStage
{
    public string Name => StageNames.Diagnose;

    public async Task<StageOutcome> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        string diagnosis;
        try
        {
            diagnosis = await context.Backend.DiagnoseAsync(tailLines, cancellationToken);
        }
        catch (Exception ex) when (ex is SlipwayException or IOException or ToolNotFoundException)
        {
            diagnosis = $"the diagnosis itself failed: {ex.Message}";
        }

        context.Log.Note("diagnosis:\n" + diagnosis);
        // Kept with the run: after the rollback the live state is healthy again, and 'diagnose' must still show why this run failed.
        Files.AtomicFile.WriteText(new RunStore(context.Session.Layout).DiagnosisFile(run.Id), diagnosis + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        // The error itself ends the run's output; said here too it would be printed twice.
        var failure = run.Failure ?? "the run failed";
        var stageFailed = failure.IndexOf(": ", StringComparison.Ordinal) is var colon and > 0 ? failure[..colon] : failure;
        context.Reporter.Warn($"{stageFailed}; what the deployment looks like now (the error is at the end):");
        foreach (var line in Summary(diagnosis)) context.Reporter.Detail(line);
        context.Reporter.Detail("full diagnosis: " + context.Log.Path);

        var store = context.Revisions;
        if (run.FailedRevision is null)
        {
            run.FailedRevision = store.NextNumber();
            context.Save();
        }

        store.Record(run.FailedRevision.Value, Revisions.New(context, RevisionRecord.Failed, RevisionStore.HashOf(context.Session.Layout, run.EffectivePins)));
        store.Prune(context.Session.Spec.Rollout.HistoryLimit);
        return StageOutcome.Done($"failed state recorded as revision {run.FailedRevision}"
            + (run.RollbackTarget is { } target ? $"; rolling back to revision {target}" : ""));
    }

    /// <summary>Log lines per troubled service on the console; the run log has the full tail.</summary>
    internal const int ConsoleLogLines = 5;

    /// <summary>
    /// The lines of a diagnosis worth printing: the container states, the health-check results and each troubled
    /// service's last few log lines (where a container usually says why it failed).
    /// </summary>
    internal static IEnumerable<string> Summary(string diagnosis)
    {
        var lines = new List<string>();
        var logs = new List<string>();
        foreach (var line in diagnosis.Split('\n').Append(""))
        {
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith('|'))
            {
                logs.Add(line.TrimEnd());
                continue;
            }

            if (logs.Count > 0)
            {
                lines.Add($"  last {Math.Min(ConsoleLogLines, logs.Count)} log lines:");
                lines.AddRange(logs.TakeLast(ConsoleLogLines));
                logs.Clear();
            }

            if (trimmed.Length > 0 && !(trimmed.StartsWith("last ", StringComparison.Ordinal) && trimmed.EndsWith("log lines:", StringComparison.Ordinal)))
            {
                lines.Add(line.TrimEnd());
            }
        }

        return lines.Take(60);
    }
}
