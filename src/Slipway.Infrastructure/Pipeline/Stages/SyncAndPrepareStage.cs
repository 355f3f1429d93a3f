namespace Slipway.Infrastructure.Pipeline.Stages;

/// <summary>restart's prepare: pull the sources and sync D from the git-tracked spec, open D again, then the usual checks.</summary>
internal sealed class SyncAndPrepareStage(ISourceSync sync) : IStage
{
    public string Name => StageNames.Prepare;

    public async Task<StageOutcome> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var result = await sync.SyncAsync(context, run.Parameters.ServiceImages, cancellationToken);
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
        return StageOutcome.Done(result.Changes.Count == 0
            ? "D is in sync with its sources: no file of D changed"
            : $"synced D: {result.Changes.Count} file{(result.Changes.Count == 1 ? "" : "s")} of D changed");
    }
}
