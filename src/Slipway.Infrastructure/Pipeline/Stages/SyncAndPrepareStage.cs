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
        var hostBefore = FirstHost(context);
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
            run.Sources = await context.SourceCommitsAsync(cancellationToken);
            run.OverridePins = context.BackendPins(result.Pins);
            await PrepareStage.CheckAsync(context, cancellationToken);
            await ProbeHostNameAsync(context, hostBefore, cancellationToken);
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

    /// <summary>laconic-so's "hostname": the first http-proxy entry's host-name.</summary>
    private static string? FirstHost(RunContext context) => context.Session.Spec.Kubernetes.HttpProxy.FirstOrDefault()?.HostName;

    /// <summary>
    /// A sync that changed the host name is probed before anything else changes (laconic-so's DNS probe): the name must
    /// reach this cluster's ingress, or the restart is refused and the sync undone. <c>--force</c> skips it, said.
    /// </summary>
    private static async Task ProbeHostNameAsync(RunContext context, string? before, CancellationToken cancellationToken)
    {
        var after = FirstHost(context);
        if (after is null || after == before || context.Backend is not Backends.IHostNameProbingBackend probing) return;
        if (context.Run.Parameters.SkipDnsProbe)
        {
            context.Reporter.Warn($"the http-proxy host name changed to {after}{(before is null ? "" : $" (was {before})")}: --force, so it is not probed");
            return;
        }

        context.Log.Note($"sync: http-proxy host name {before ?? "(none)"} -> {after}: DNS probe");
        await probing.ProbeHostNameAsync(after, before, context.Progress, cancellationToken);
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
