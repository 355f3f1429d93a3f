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
        context.Reporter.Warn($"{run.Failure}");
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

    /// <summary>The lines of a diagnosis worth printing: the container states and health-check results, not the log tails.</summary>
    private static IEnumerable<string> Summary(string diagnosis) =>
        diagnosis.Split('\n')
            .Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('|') && !l.TrimStart().StartsWith("last ", StringComparison.Ordinal))
            .Take(20);
}
