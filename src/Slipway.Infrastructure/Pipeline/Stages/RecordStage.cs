namespace Slipway.Infrastructure.Pipeline.Stages;

/// <summary>record: what the run put in place becomes a revision (unless it equals the newest good one); old ones are pruned.</summary>
internal sealed class RecordStage : IStage
{
    public string Name => StageNames.Record;

    public async Task<StageOutcome> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var store = context.Revisions;
        var pins = run.EffectivePins;
        var hash = RevisionStore.HashOf(context.Session.Layout, pins);
        var lastGood = store.LastGood();
        string note;
        if (run.Revision is null && lastGood is not null && lastGood.FilesHash == hash)
        {
            run.Revision = lastGood.Number;
            note = $"unchanged: still revision {lastGood.Number}";
        }
        else
        {
            run.Revision ??= store.NextNumber();
            context.Save(); // the number is taken before the folder appears, so a resumed record reuses it
            var source = run.Command == RunRequest.Rollback ? run.RestoreRevision : null;
            // A rollback's revision came from the same commits as the one whose files it put back.
            var commits = source is { } from && store.Find(from) is { } restored ? restored.Sources : run.Sources;
            store.Record(run.Revision.Value, Revisions.New(context, RevisionRecord.Good, hash) with { SourceRevision = source, Sources = commits });
            note = $"recorded revision {run.Revision}{(source is null ? "" : $" (a copy of revision {source})")}";
        }

        var pruned = store.Prune(context.Session.Spec.Rollout.HistoryLimit);
        if (pruned.Count > 0) note += $"; pruned revision{(pruned.Count == 1 ? "" : "s")} {string.Join(", ", pruned)}";
        var kept = store.List().Select(r => Path.Combine(store.Directory(r.Number), "files")).ToList();
        if (await context.Backend.RecordedAsync(kept, cancellationToken) is { } backendNote) note += "; " + backendNote;
        return StageOutcome.Done(note);
    }
}
