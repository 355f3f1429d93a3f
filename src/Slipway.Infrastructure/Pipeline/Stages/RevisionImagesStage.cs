namespace Slipway.Infrastructure.Pipeline.Stages;

/// <summary>rollback's push: the images the revision ran, made available to the backend again (nothing is built or pushed).</summary>
internal sealed class RevisionImagesStage : IStage
{
    public string Name => StageNames.Push;

    public async Task<StageOutcome> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        var revision = context.Revisions.Find(context.Run.RestoreRevision!.Value)!;
        return await PushStage.LoadAsync(context, revision.ImagePins, cancellationToken) is { } loaded
            ? StageOutcome.Done(loaded)
            : StageOutcome.Skip("nothing to push");
    }
}
