using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Logging;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Reporting;

namespace Slipway.Infrastructure.Pipeline;

/// <summary>What the engine drives and the stage bodies it calls; every stage body has a default that works alone.</summary>
public sealed record PipelineServices
{
    /// <summary>The runner child commands go through; the engine wraps it so that every child lands in the run log.</summary>
    public required IProcessRunner Runner { get; init; }

    public required Func<Deployment, IProcessRunner, IDeploymentBackend> CreateBackend { get; init; }

    public IReporter Reporter { get; init; } = NullReporter.Instance;

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public IPrepareCheck Prepare { get; init; } = NoPrepareCheck.Instance;

    public ISourceSync SourceSync { get; init; } = NoSourceSync.Instance;

    public IImageStage Images { get; init; } = NoImageStage.Instance;

    public IVerifier Verifier { get; init; } = NoExtraVerifier.Instance;

    public IDeployHooks Hooks { get; init; } = NoDeployHooks.Instance;

    /// <summary>The spec's rollout settings (history-limit, auto-rollback) for a deployment.</summary>
    public Func<Deployment, RolloutPolicy> Policy { get; init; } = _ => RolloutPolicy.Default;

    public int DiagnoseTailLines { get; init; } = 50;

    public TimeSpan HealthPollInterval { get; init; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>One start, restart or rollback as asked on the command line.</summary>
public sealed record RunRequest(string Command)
{
    public const string Start = "start";
    public const string Restart = "restart";
    public const string Rollback = "rollback";

    public IReadOnlyList<string> Services { get; init; } = [];

    public bool ForceRecreate { get; init; }

    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public bool PerformClusterManagement { get; init; }

    /// <summary>rollback: the revision to put back (default: the good revision before the live one).</summary>
    public int? ToRevision { get; init; }

    public IReadOnlyDictionary<string, string> ServiceImages { get; init; } = new Dictionary<string, string>();

    /// <summary>Replace a stale lock (its process gone) instead of refusing.</summary>
    public bool BreakLock { get; init; }
}

/// <summary>
/// The staged run (DESIGN §4): prepare → build → push → apply → verify → record, each recorded in
/// D/.slipway/runs/&lt;run-id&gt;/run.json before and after it runs, under D's lock, with every child command in the run
/// log. A failed apply or verify is diagnosed and the last good revision is put back and verified; a killed run is
/// finished by <see cref="ResumeAsync"/> from its first unfinished stage.
/// </summary>
public sealed class PipelineEngine(PipelineServices services)
{
    private static readonly string[] Rollbackable = [Stages.Apply, Stages.Verify];

    /// <summary>The log file of the run being driven (set as soon as it is opened), for the caller's error output.</summary>
    public string? LogPath { get; private set; }

    public async Task<RunRecord> RunAsync(string directory, RunRequest request, CancellationToken cancellationToken)
    {
        var deployment = Deployment.Open(directory);
        var runs = new RunStore(deployment.Layout);
        var revisions = new RevisionStore(deployment.Layout);
        var now = services.Clock.GetUtcNow();
        var id = RunStore.NewId(now, request.Command);
        using var held = DeploymentLock.Acquire(deployment.Layout, request.Command, id, request.BreakLock, clock: services.Clock);
        if (held.Replaced is { } stale) services.Reporter.Warn($"broke the stale lock of {stale}");

        if (runs.Latest() is { State: RunState.Running } interrupted)
        {
            // Its lock is gone (released or broken): it will never finish, and this run supersedes it.
            interrupted.State = RunState.Failed;
            interrupted.Failure = $"interrupted at stage {interrupted.Next?.Name ?? "?"}; superseded by run {id}";
            interrupted.FinishedAt = now;
            runs.Save(interrupted);
            services.Reporter.Warn($"run {interrupted.Id} ({interrupted.Command}) was interrupted and is abandoned; 'resume' would have finished it");
        }

        runs.Prune(keep: 100);
        var run = new RunRecord
        {
            Id = id,
            Command = request.Command,
            State = RunState.Running,
            StartedAt = now,
            Owner = Environment.UserName,
            Host = Environment.MachineName,
            Parameters = new RunParameters
            {
                Services = request.Services,
                ForceRecreate = request.ForceRecreate,
                WaitTimeoutSeconds = (int)Math.Ceiling(request.WaitTimeout.TotalSeconds),
                PerformClusterManagement = request.PerformClusterManagement,
                ToRevision = request.ToRevision,
                ServiceImages = request.ServiceImages,
            },
            Stages = Stages.Main.Select(name => new StageRecord { Name = name }).ToList(),
            CarriedPins = new Dictionary<string, string>(revisions.LastGood()?.ImagePins ?? new Dictionary<string, string>(), StringComparer.Ordinal),
        };
        return await DriveAsync(deployment, run, request.Command, cancellationToken);
    }

    /// <summary>Finishes the latest run of D when it was interrupted (killed, Ctrl+C), from its first unfinished stage.</summary>
    public async Task<RunRecord> ResumeAsync(string directory, bool breakLock, CancellationToken cancellationToken)
    {
        var deployment = Deployment.Open(directory);
        var runs = new RunStore(deployment.Layout);
        var run = runs.Latest() ?? throw new SlipwayException(FailureReason.NotFound, $"{deployment.Layout.Directory} has no run to resume",
            "'deployment start' starts one");
        if (run.State != RunState.Running)
        {
            throw new SlipwayException(FailureReason.NotFound,
                $"nothing to resume: the last run {run.Id} ({run.Command}) finished: {Kebab(run.State)}{(run.Failure is null ? "" : $" ({run.Failure})")}",
                "run 'deployment start' or 'restart' for a new run");
        }

        using var held = DeploymentLock.Acquire(deployment.Layout, "resume", run.Id, breakLock, resumingRunId: run.Id, clock: services.Clock);
        if (held.Replaced is { } stale) services.Reporter.Warn($"the interrupted run's lock was stale (pid {stale.Pid} is gone): taken over");
        services.Reporter.Info($"resuming run {run.Id} ({run.Command}) at stage {run.Next?.Name}");
        return await DriveAsync(deployment, run, "resume", cancellationToken);
    }

    private async Task<RunRecord> DriveAsync(Deployment deployment, RunRecord run, string logName, CancellationToken cancellationToken)
    {
        var runs = new RunStore(deployment.Layout);
        using var log = FileCommandLog.ForCommand(deployment.Layout.Logs, logName, services.Clock);
        log.Redact(deployment.SecretValues);
        LogPath = log.Path;
        run.Logs.Add(log.Path);
        runs.Save(run);
        var context = new PipelineContext
        {
            Deployment = deployment,
            Run = run,
            RunDirectory = runs.Directory(run.Id),
            Runner = new LoggingProcessRunner(services.Runner, log),
            Log = log,
            Reporter = services.Reporter,
        };
        log.Note($"run {run.Id}: {run.Command} of {deployment.Layout.Directory} ({run.Owner}@{run.Host}, pid {Environment.ProcessId})");

        while (run.Next is { } stage)
        {
            stage.State = StageState.Running;
            stage.StartedAt = services.Clock.GetUtcNow();
            stage.Error = null;
            runs.Save(run);
            log.Note($"stage {stage.Name}: started");
            try
            {
                var index = run.Stages.IndexOf(stage) + 1;
                var outcome = await services.Reporter.StepAsync($"[{index}/{run.Stages.Count}] {stage.Name}", progress =>
                {
                    context.Progress = progress;
                    return ExecuteAsync(stage.Name, context, cancellationToken);
                });
                stage.State = outcome.Skipped ? StageState.Skipped : StageState.Done;
                stage.Note = outcome.Note;
                stage.FinishedAt = services.Clock.GetUtcNow();
                runs.Save(run);
                log.Note($"stage {stage.Name}: {Kebab(stage.State)}{(outcome.Note is null ? "" : ": " + outcome.Note)}");
                if (outcome.Note is not null) services.Reporter.Detail(outcome.Note);
            }
            catch (SlipwayException ex)
            {
                stage.State = StageState.Failed;
                stage.Error = ex.Message;
                stage.FinishedAt = services.Clock.GetUtcNow();
                runs.Save(run);
                log.Note($"stage {stage.Name}: failed: {ex.Message}");
                HandleFailure(context, stage, ex);
            }
        }

        return Finish(context);
    }

    /// <summary>
    /// A failed apply or verify gets a diagnosis and (when a good revision exists and auto-rollback is on) the rollback
    /// stages; a failed rollback or any other stage ends the run.
    /// </summary>
    private void HandleFailure(PipelineContext context, StageRecord stage, SlipwayException ex)
    {
        var run = context.Run;
        var runs = new RunStore(context.Deployment.Layout);
        if (Rollbackable.Contains(stage.Name))
        {
            run.Failure = $"{stage.Name} failed: {ex.Message}";
            run.FailureReason = ex.Reason.ToString();
            run.FailureHint = ex.Hint;
            var target = services.Policy(context.Deployment).AutoRollback ? new RevisionStore(context.Deployment.Layout).LastGood() : null;
            run.RollbackTarget = target?.Number;
            foreach (var rest in run.Stages.Where(s => s.State == StageState.Pending))
            {
                rest.State = StageState.Skipped;
                rest.Note = $"not run: {stage.Name} failed";
            }

            run.Stages.Add(new StageRecord { Name = Stages.Diagnose });
            if (target is not null)
            {
                run.Stages.Add(new StageRecord { Name = Stages.RollbackApply });
                run.Stages.Add(new StageRecord { Name = Stages.RollbackVerify });
            }

            runs.Save(run);
            return;
        }

        run.FinishedAt = services.Clock.GetUtcNow();
        if (stage.Name is Stages.RollbackApply or Stages.RollbackVerify)
        {
            run.State = RunState.RollbackFailed;
            runs.Save(run);
            throw new SlipwayException(FailureReason.RollbackFailed,
                $"{run.Command} failed ({run.Failure}) and so did the rollback to revision {run.RollbackTarget}: {ex.Message}",
                "manual intervention needed: 'deployment diagnose' and 'deployment ps' show the state; the run log has the diagnosis", ex);
        }

        run.State = RunState.Failed;
        run.Failure = $"{stage.Name} failed: {ex.Message}";
        run.FailureReason = ex.Reason.ToString();
        runs.Save(run);
        var applied = run.Stages.Any(s => s.Name == Stages.Apply && s.State == StageState.Done);
        throw new SlipwayException(ex.Reason, $"{run.Command} failed at stage {stage.Name}: {ex.Message}",
            ex.Hint ?? (applied ? null : "nothing was applied"), ex);
    }

    private static string HintWith(RunRecord run, string hint) => run.FailureHint is { } first ? $"{first}\n{hint}" : hint;

    private RunRecord Finish(PipelineContext context)
    {
        var run = context.Run;
        var runs = new RunStore(context.Deployment.Layout);
        run.FinishedAt = services.Clock.GetUtcNow();
        var failedReason = Enum.TryParse<FailureReason>(run.FailureReason, out var parsed) ? parsed : FailureReason.DeploymentFailed;
        if (run.Stages.Any(s => s.Name == Stages.RollbackVerify))
        {
            run.State = RunState.RolledBack;
            runs.Save(run);
            throw new SlipwayException(FailureReason.RolledBack,
                $"{run.Command} failed ({run.Failure}); rolled back to revision {run.RollbackTarget}, which is healthy again",
                HintWith(run, "the diagnosis is in the run log; fix the cause and run the deploy again"));
        }

        if (run.Stages.Any(s => s.Name == Stages.Diagnose))
        {
            run.State = RunState.Failed;
            runs.Save(run);
            var why = services.Policy(context.Deployment).AutoRollback
                ? "there is no good revision to roll back to"
                : "auto-rollback is off (rollout.auto-rollback: false)";
            throw new SlipwayException(failedReason,
                $"{run.Command} failed ({run.Failure}); {why}, so the failed state is left in place for inspection",
                HintWith(run, "'deployment diagnose' and 'deployment logs' show it; the diagnosis is in the run log"));
        }

        run.State = RunState.Succeeded;
        runs.Save(run);
        return run;
    }

    private sealed record StageOutcome(string? Note, bool Skipped = false);

    private Task<StageOutcome> ExecuteAsync(string stage, PipelineContext context, CancellationToken cancellationToken) => stage switch
    {
        Stages.Prepare => PrepareAsync(context, cancellationToken),
        Stages.Build => BuildAsync(context, cancellationToken),
        Stages.Push => PushAsync(context, cancellationToken),
        Stages.Apply => ApplyAsync(context, cancellationToken),
        Stages.Verify => VerifyAsync(context, cancellationToken),
        Stages.Record => Task.FromResult(Record(context)),
        Stages.Diagnose => DiagnoseAsync(context, cancellationToken),
        Stages.RollbackApply => RollbackApplyAsync(context, cancellationToken),
        Stages.RollbackVerify => VerifyAsync(context, cancellationToken),
        _ => throw new SlipwayException(FailureReason.InvalidInput, $"run {context.Run.Id} has an unknown stage '{stage}'"),
    };

    private async Task<StageOutcome> PrepareAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var notes = new List<string>();
        if (run.Command == RunRequest.Rollback)
        {
            var target = RollbackTargetOf(context);
            notes.Add($"rolling back to revision {target.Number} ({target.Time.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z, spec {target.SpecHash})");
        }
        else if (run.Command == RunRequest.Restart)
        {
            var sync = await services.SourceSync.SyncAsync(context, run.Parameters.ServiceImages, cancellationToken);
            run.OverridePins = sync.Pins.ToDictionary(p => p.StackImage, p => p.Reference, StringComparer.Ordinal);
            foreach (var change in sync.Changes) context.Log.Note($"sync: {change}");
            notes.Add(sync.Changes.Count == 0 ? "D is in sync with its sources" : $"synced D: {sync.Changes.Count} change(s)");
            Reopen(context);
        }

        await services.Prepare.CheckAsync(context, cancellationToken);
        return new StageOutcome(string.Join("; ", notes) is { Length: > 0 } text ? text : null);
    }

    private async Task<StageOutcome> BuildAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        if (context.Run.Command == RunRequest.Rollback) return new StageOutcome("images come from the revision", Skipped: true);
        var built = await services.Images.BuildAsync(context, cancellationToken);
        context.Run.BuiltPins = built.ToDictionary(p => p.StackImage, p => p.Reference, StringComparer.Ordinal);
        return built.Count == 0
            ? new StageOutcome("no images to build", Skipped: true)
            : new StageOutcome("built " + string.Join(", ", built.Select(p => p.Reference)));
    }

    private async Task<StageOutcome> PushAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var notes = new List<string>();
        if (run.Command != RunRequest.Rollback && run.BuiltPins.Count > 0)
        {
            var built = run.BuiltPins.Select(p => new ImagePin(p.Key, p.Value)).ToList();
            var published = await services.Images.PublishAsync(context, built, cancellationToken);
            run.BuiltPins = published.ToDictionary(p => p.StackImage, p => p.Reference, StringComparer.Ordinal);
            if (!published.SequenceEqual(built)) notes.Add("pushed " + string.Join(", ", published.Select(p => p.Reference)));
        }

        var images = run.Command == RunRequest.Rollback ? RollbackTargetOf(context).ImagePins.Values.ToList() : run.EffectivePins.Values.ToList();
        if (images.Count > 0)
        {
            images = images.Distinct().Order(StringComparer.Ordinal).ToList();
            await Backend(context).LoadImagesAsync(images, cancellationToken);
            notes.Add("images made available to the backend: " + string.Join(", ", images));
        }

        return notes.Count == 0 ? new StageOutcome("nothing to push", Skipped: true) : new StageOutcome(string.Join("; ", notes));
    }

    private async Task<StageOutcome> ApplyAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        if (run.Command == RunRequest.Rollback)
        {
            var target = RollbackTargetOf(context);
            new RevisionStore(context.Deployment.Layout).Restore(target.Number);
            run.CarriedPins = new Dictionary<string, string>(target.ImagePins, StringComparer.Ordinal);
            run.BuiltPins.Clear();
            run.OverridePins.Clear();
            new RunStore(context.Deployment.Layout).Save(run);
            Reopen(context);
        }

        await services.Hooks.RunAsync("pre-deploy", context, cancellationToken);
        await Backend(context).ApplyAsync(new ApplyOptions
        {
            Wait = false,
            ForceRecreate = run.Parameters.ForceRecreate,
            Services = run.Parameters.Services,
            WaitTimeout = TimeSpan.FromSeconds(run.Parameters.WaitTimeoutSeconds),
            ImagePins = run.EffectivePins,
            PerformClusterManagement = run.Parameters.PerformClusterManagement,
            Progress = context.Progress,
        }, cancellationToken);
        return new StageOutcome(run.EffectivePins.Count == 0 ? null : "images: " + string.Join(", ", run.EffectivePins.Select(p => $"{p.Key} → {p.Value}")));
    }

    private async Task<StageOutcome> VerifyAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var backend = Backend(context);
        var timeout = TimeSpan.FromSeconds(run.Parameters.WaitTimeoutSeconds);
        var rollingBack = run.Next?.Name == Stages.RollbackVerify;
        var services1 = rollingBack ? [] : run.Parameters.Services;
        var health = await HealthWait.WaitAsync(backend, services1, timeout, context.Progress, cancellationToken, services.Clock, services.HealthPollInterval);
        foreach (var line in health.Lines) context.Log.Note($"health: {line}");
        if (!health.Healthy) throw HealthWait.Failure(health, "the deployment is not healthy");
        var checks = await services.Verifier.VerifyAsync(context, backend, timeout, cancellationToken);
        foreach (var line in checks.Lines) context.Log.Note($"verify: {line}");
        if (!checks.Healthy) throw HealthWait.Failure(checks, "verify checks failed");
        if (!rollingBack) await services.Hooks.RunAsync("post-deploy", context, cancellationToken);
        return new StageOutcome($"healthy: {health.Lines.Count} container(s){(checks.Lines.Count == 0 ? "" : $", {checks.Lines.Count} check(s)")}");
    }

    private StageOutcome Record(PipelineContext context)
    {
        var run = context.Run;
        var layout = context.Deployment.Layout;
        var store = new RevisionStore(layout);
        var pins = run.EffectivePins;
        var hash = RevisionStore.HashOf(layout, pins);
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
            new RunStore(layout).Save(run); // the number is taken before the folder appears, so a resumed record reuses it
            var source = run.Command == RunRequest.Rollback ? RollbackTargetOf(context).Number : (int?)null;
            store.Record(run.Revision.Value, NewRevision(context, RevisionRecord.Good, hash) with { SourceRevision = source });
            note = $"recorded revision {run.Revision}{(source is null ? "" : $" (a copy of revision {source})")}";
        }

        var pruned = store.Prune(services.Policy(context.Deployment).HistoryLimit);
        if (pruned.Count > 0) note += $"; pruned revision{(pruned.Count == 1 ? "" : "s")} {string.Join(", ", pruned)}";
        return new StageOutcome(note);
    }

    private async Task<StageOutcome> DiagnoseAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var layout = context.Deployment.Layout;
        string diagnosis;
        try
        {
            diagnosis = await Backend(context).DiagnoseAsync(services.DiagnoseTailLines, cancellationToken);
        }
        catch (Exception ex) when (ex is SlipwayException or IOException or ToolNotFoundException)
        {
            diagnosis = $"the diagnosis itself failed: {ex.Message}";
        }

        context.Log.Note("diagnosis:\n" + diagnosis);
        services.Reporter.Warn($"{run.Failure}");
        foreach (var line in Summary(diagnosis)) services.Reporter.Detail(line);
        services.Reporter.Detail("full diagnosis: " + (context.Log is FileCommandLog file ? file.Path : "the run log"));

        var store = new RevisionStore(layout);
        if (run.FailedRevision is null)
        {
            run.FailedRevision = store.NextNumber();
            new RunStore(layout).Save(run);
        }

        store.Record(run.FailedRevision.Value, NewRevision(context, RevisionRecord.Failed, RevisionStore.HashOf(layout, run.EffectivePins)));
        store.Prune(services.Policy(context.Deployment).HistoryLimit);
        return new StageOutcome($"failed state recorded as revision {run.FailedRevision}"
            + (run.RollbackTarget is { } target ? $"; rolling back to revision {target}" : ""));
    }

    private async Task<StageOutcome> RollbackApplyAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var target = run.RollbackTarget ?? throw new SlipwayException(FailureReason.NotFound, "no revision to roll back to");
        var revision = new RevisionStore(context.Deployment.Layout).Restore(target);
        Reopen(context);
        var backend = Backend(context);
        if (revision.ImagePins.Count > 0) await backend.LoadImagesAsync(revision.ImagePins.Values.Distinct().Order(StringComparer.Ordinal).ToList(), cancellationToken);
        await backend.ApplyAsync(new ApplyOptions
        {
            Wait = false,
            WaitTimeout = TimeSpan.FromSeconds(run.Parameters.WaitTimeoutSeconds),
            ImagePins = revision.ImagePins,
            PerformClusterManagement = run.Parameters.PerformClusterManagement,
            Progress = context.Progress,
        }, cancellationToken);
        return new StageOutcome($"revision {target} re-applied (files and images; volumes untouched)");
    }

    private RevisionRecord NewRevision(PipelineContext context, string result, string hash)
    {
        var layout = context.Deployment.Layout;
        var pins = context.Run.EffectivePins;
        var images = Backends.Compose.ComposeBackend.ReadServiceImages(context.Deployment.PodComposeFiles)
            .ToDictionary(s => s.Key, s => pins.TryGetValue(s.Value, out var pinned) ? pinned : s.Value, StringComparer.Ordinal);
        return new RevisionRecord
        {
            Number = 0,
            Time = services.Clock.GetUtcNow(),
            Result = result,
            Command = context.Run.Command,
            RunId = context.Run.Id,
            SpecHash = RevisionStore.SpecHashOf(layout),
            FilesHash = hash,
            ImagePins = new SortedDictionary<string, string>(pins.ToDictionary(), StringComparer.Ordinal),
            Images = new SortedDictionary<string, string>(images, StringComparer.Ordinal),
        };
    }

    /// <summary>The revision an explicit rollback puts back: --to-revision, else the good revision before the live one.</summary>
    private static RevisionRecord RollbackTargetOf(PipelineContext context)
    {
        var store = new RevisionStore(context.Deployment.Layout);
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

    private IDeploymentBackend Backend(PipelineContext context) => services.CreateBackend(context.Deployment, context.Runner);

    /// <summary>D may have changed (sync, restore): read it again, and redact any new secret from here on.</summary>
    private static void Reopen(PipelineContext context)
    {
        context.Deployment = Deployment.Open(context.Deployment.Layout.Directory);
        if (context.Log is FileCommandLog file) file.Redact(context.Deployment.SecretValues);
    }

    /// <summary>The lines of a diagnosis worth printing: the container states and health-check results, not the log tails.</summary>
    private static IEnumerable<string> Summary(string diagnosis) =>
        diagnosis.Split('\n')
            .Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('|') && !l.TrimStart().StartsWith("last ", StringComparison.Ordinal))
            .Take(20);

    private static string Kebab<T>(T value) where T : struct, Enum =>
        System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}
