using Slipway.Core.Diagnostics;

namespace Slipway.Infrastructure.Pipeline.Stages;

/// <summary>restart's prepare: pull the sources and sync D from the git-tracked spec, open D again, then the usual checks.</summary>
internal sealed class SyncAndPrepareStage(ISourceSync sync) : IStage
{
    public string Name => StageNames.Prepare;

    public async Task<StageOutcome> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        // The sync is staged: D is copied aside first and put back exactly when the synced D is refused.
        using var undo = GitOps.SyncUndo.Take(context.Session.Layout);
        SourceSyncResult result;
        try
        {
            result = await sync.SyncAsync(context, run.Parameters.ServiceImages, cancellationToken);
            foreach (var warning in result.Warnings) context.Reporter.Warn(warning);
            foreach (var pull in result.Pulls)
            {
                context.Log.Note($"sync: {pull}");
                context.Reporter.Detail(pull);
            }

            foreach (var change in result.Changes)
            {
                context.Log.Note($"sync: {change}");
                context.Reporter.Detail($"D: {change}");
            }

            run.Pulls = [.. result.Repositories];
            run.SyncedFiles = [.. result.Files];
            context.Reload();
            run.Sources = await GitOps.SourceCommits.ReadAsync(context.Session, context.Tools.Git, cancellationToken);
            run.OverridePins = context.BackendPins(result.Pins);
            await PrepareStage.CheckAsync(context, cancellationToken);
        }
        catch (Exception e) when (e is SlipwayException or IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            Undo(context, undo);
            throw;
        }

        return StageOutcome.Done(result.Changes.Count == 0
            ? "D is in sync with its sources: no file of D changed"
            : $"synced D: {result.Changes.Count} file{(result.Changes.Count == 1 ? "" : "s")} of D changed");
    }

    private static void Undo(RunContext context, GitOps.SyncUndo undo)
    {
        if (!undo.Changed()) return;
        undo.Restore();
        context.Run.SyncedFiles = [];
        context.Log.Note("sync: undone, D is as it was before this run");
        context.Reporter.Warn("the sync was undone: every file of D is as it was before this restart (the repositories stay at the commits pulled)");
        try
        {
            context.Reload();
        }
        catch (SlipwayException)
        {
            // D as it was before the run is what the run's failure leaves; its own problems are for the next command.
        }
    }
}
