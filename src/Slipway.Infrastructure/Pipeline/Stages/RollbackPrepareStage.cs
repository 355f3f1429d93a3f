using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Backends;

namespace Slipway.Infrastructure.Pipeline.Stages;

/// <summary>rollback's prepare: find the revision to put back (--to-revision, else the good one before the live one), then the usual checks.</summary>
internal sealed class RollbackPrepareStage : IStage
{
    public string Name => StageNames.Prepare;

    public async Task<StageOutcome> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var target = Target(context);
        CheckResult(context, target);
        run.RestoreRevision = target.Number;
        await PrepareStage.CheckAsync(context, cancellationToken);
        await CheckVolumeStorageAsync(context, target.Number, cancellationToken);
        return StageOutcome.Done($"rolling back to revision {target.Number} ({target.Time.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z, spec {target.SpecHash})");
    }

    /// <summary>
    /// A revision recorded as failed did not pass verify when it was live: putting it back is refused (Conflict) unless
    /// asked for with --allow-failed, and then warned about. --allow-failed for a good revision warns that it does nothing.
    /// </summary>
    private static void CheckResult(RunContext context, RevisionRecord target)
    {
        var allow = context.Run.Parameters.AllowFailed;
        if (target.Result == RevisionRecord.Good)
        {
            if (allow) context.Reporter.Warn($"--allow-failed does nothing: revision {target.Number} was recorded as good");
            return;
        }

        var what = $"revision {target.Number} was recorded as {target.Result} (run {target.RunId}, {target.Command}): it did not pass verify when it was live";
        if (!allow)
        {
            throw new SlipwayException(FailureReason.Conflict, what + "; nothing was changed",
                $"'deployment history' and 'deployment diagnose' show why; 'rollback --to-revision {target.Number} --allow-failed' puts it back anyway");
        }

        context.Reporter.Warn(what + "; rolling back to it anyway (--allow-failed)");
    }

    /// <summary>
    /// The revision's files may declare other storage for a volume than the engine has now (the spec moved it since, and
    /// the data with it): Docker would keep the live storage while D said the revision's. Refused before anything changes.
    /// </summary>
    private static async Task CheckVolumeStorageAsync(RunContext context, int revision, CancellationToken cancellationToken)
    {
        if (context.Backend is not IVolumeStorageBackend storage) return;
        var declared = context.Revisions.DeclaredVolumeStorage(revision);
        if (declared.Count == 0) return;
        var mismatches = VolumeStorage.Compare(declared, await storage.LiveVolumesAsync(cancellationToken));
        if (mismatches.Count == 0) return;
        throw new SlipwayException(FailureReason.Conflict,
            $"rolling back to revision {revision} would change where a volume's data lives: " + VolumeStorage.Message(mismatches, $"revision {revision}"),
            VolumeStorage.Steps(mismatches, context.Session.Layout.Directory, storage.VolumeCreator, finish: $"rollback --to-revision {revision}",
                keep: "roll back to a revision with the storage in use ('deployment history'), or leave D as it is", declarer: $"revision {revision}"));
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
