using Slipway.Core.Diagnostics;

namespace Slipway.Infrastructure.Pipeline.Stages;

/// <summary>rollback's prepare: find the revision to put back (--to-revision, else the good one before the live one), then the usual checks.</summary>
internal sealed class RollbackPrepareStage : IStage
{
    public string Name => StageNames.Prepare;

    public async Task<StageOutcome> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var target = Target(context);
        run.RestoreRevision = target.Number;
        await PrepareStage.CheckAsync(context, cancellationToken);
        return StageOutcome.Done($"rolling back to revision {target.Number} ({target.Time.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z, spec {target.SpecHash})");
    }

    private static RevisionRecord Target(RunContext context)
    {
        var store = context.Revisions;
        if (context.Run.Parameters.ToRevision is { } number)
        {
            return store.Find(number) ?? throw new SlipwayException(FailureReason.NotFound, $"revision {number} does not exist",
                store.List() is { Count: > 0 } all ? "revisions: " + string.Join(", ", all.Select(r => r.Number)) : "no revision has been recorded yet");
        }

        var good = store.List().Where(r => r.Result == RevisionRecord.Good).ToList();
        return good.Count >= 2
            ? good[^2]
            : throw new SlipwayException(FailureReason.NotFound, "there is no earlier good revision to roll back to",
                "'deployment history' lists the revisions; 'rollback --to-revision N' picks one");
    }
}
