using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Files;
using Slipway.Infrastructure.Logging;

namespace Slipway.Infrastructure.Pipeline;

/// <summary>
/// The loop of a run: each stage of its plan is recorded in D/.slipway/runs/&lt;run-id&gt;/run.json as it starts (its
/// result with the next save), under D's lock, with every child command in the run log. A failed release (apply or
/// verify) takes the failure path; a killed run is finished by <see cref="ResumeAsync"/> from its first unfinished
/// stage. How the run ended is the returned <see cref="RunOutcome"/>; only a run that cannot start (the lock, nothing
/// to resume) throws.
/// </summary>
public sealed class PipelineEngine(PipelineOptions options)
{
    public async Task<RunOutcome> RunAsync(DeploymentSession session, RunRequest request, CancellationToken cancellationToken)
    {
        var runs = new RunStore(session.Layout);
        var now = options.Clock.GetUtcNow();
        var id = RunStore.NewId(now, request.Command);
        var plan = options.Plans.For(request.Command);
        using var held = DeploymentLock.Acquire(session.Layout, request.Command, id, request.BreakLock, clock: options.Clock);
        options.Trace?.Mark("locked");
        if (held.Replaced is { } stale) options.Reporter.Warn($"broke the stale lock of {stale}");

        try
        {
            runs.Latest();
        }
        catch (DamagedRunException damaged) when (request.BreakLock)
        {
            options.Reporter.Warn($"{damaged.Message}: moved to {runs.SetAside(damaged.RunId)} (--break-lock)");
        }

        // Its lock is gone (released or broken): it will never finish, and this run supersedes it once its children are gone.
        IReadOnlyList<ChildProcess> orphans = [];
        if (runs.Latest() is { State: RunState.Running } dead) orphans = await DeadRunChildren.SettleAsync(dead, options.Reporter, DeadRunChildren.DefaultWait, cancellationToken, session.Layout.Directory);
        Leftovers? leftovers = null;
        if (runs.AbandonInterrupted($"run {id}", now) is { } interrupted)
        {
            options.Reporter.Warn($"run {interrupted.Id} ({interrupted.Command}) was interrupted and is abandoned; 'resume' would have finished it");
            leftovers = new Leftovers(interrupted.Id, orphans);
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
                ForceConflicts = request.ForceConflicts,
                WaitTimeoutSeconds = (int)Math.Ceiling((request.WaitTimeout ?? session.Spec.Rollout.Timeout).TotalSeconds),
                PerformClusterManagement = request.PerformClusterManagement,
                ToRevision = request.ToRevision,
                AllowFailed = request.AllowFailed,
                ServiceImages = request.ServiceImages,
                SourceCommit = request.SourceCommit,
                StackSource = request.StackSource,
                SpecSource = request.SpecSource,
                SkipDnsProbe = request.SkipDnsProbe,
            },
            Stages = plan.Select(stage => new StageRecord { Name = stage.Name }).ToList(),
            CarriedPins = new Dictionary<string, string>(new RevisionStore(session.Layout).LastGood()?.ImagePins ?? new Dictionary<string, string>(), StringComparer.Ordinal),
        };
        return await DriveAsync(session, run, request.Command, leftovers, cancellationToken);
    }

    /// <summary>Finishes the latest run of D when it was interrupted (killed, Ctrl+C), from its first unfinished stage.</summary>
    public async Task<RunOutcome> ResumeAsync(DeploymentSession session, bool breakLock, CancellationToken cancellationToken)
    {
        var run = new RunStore(session.Layout).Latest() ?? throw new SlipwayException(FailureReason.NotFound, $"{session.Layout.Directory} has no run to resume",
            "'deployment start' starts one");
        if (run.State is not (RunState.Running or RunState.Interrupted))
        {
            throw new SlipwayException(FailureReason.NotFound,
                $"nothing to resume: the last run {run.Id} ({run.Command}) finished: {Kebab(run.State)}{(run.Failure is null ? "" : $" ({run.Failure})")}",
                "run 'deployment start' or 'restart' for a new run");
        }

        using var held = DeploymentLock.Acquire(session.Layout, "resume", run.Id, breakLock, resumingRunId: run.Id, clock: options.Clock);
        if (held.Replaced is { } stale) options.Reporter.Warn($"the interrupted run's lock was stale (pid {stale.Pid} is gone): taken over");
        options.Reporter.Info($"resuming run {run.Id} ({run.Command}) at stage {run.Next?.Name}");
        var orphans = await DeadRunChildren.SettleAsync(run, options.Reporter, DeadRunChildren.DefaultWait, cancellationToken, session.Layout.Directory);
        run.State = RunState.Running;
        run.Failure = null;
        return await DriveAsync(session, run, "resume", new Leftovers(run.Id, orphans), cancellationToken);
    }

    /// <summary>What an unfinished run left for the run that finishes or supersedes it: the children it recorded (ended by now).</summary>
    private sealed record Leftovers(string RunId, IReadOnlyList<ChildProcess> Children);

    private async Task<RunOutcome> DriveAsync(DeploymentSession session, RunRecord run, string logName, Leftovers? leftovers, CancellationToken cancellationToken)
    {
        using var log = FileCommandLog.ForCommand(session.Layout.Logs, logName, options.Clock);
        try
        {
            var outcome = await DriveAsync(session, run, log, leftovers, cancellationToken);
            if (log.WriteFailure is { } lost) options.Reporter.Warn($"the run log {log.Path} is incomplete: writing it failed ({lost})");
            return outcome;
        }
        catch (SlipwayException ex)
        {
            // A run that could not go on (no failure path took it) still points at its log.
            log.Attach(ex);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM: the runner has killed the stage's children; the record says where the run stopped, and the
            // lock is released on the way out, so resume (which runs the interrupted stage again) can finish it.
            var stage = run.Next?.Name ?? "?";
            run.State = RunState.Interrupted;
            run.Failure = $"interrupted at stage {stage} (Ctrl+C or SIGTERM)";
            new RunStore(session.Layout).Save(run);
            log.Note($"run {run.Id}: interrupted at stage {stage}");
            return new RunOutcome(run, log.Path)
            {
                Message = $"run {run.Id} ({run.Command}) interrupted at stage {stage}: it is not finished",
                Hint = $"'slipway deployment --dir {session.Layout.Directory} resume' finishes it from stage {stage}",
            };
        }
    }

    private async Task<RunOutcome> DriveAsync(DeploymentSession session, RunRecord run, FileCommandLog log, Leftovers? leftovers, CancellationToken cancellationToken)
    {
        run.Logs.Add(log.Path);
        var context = new RunContext(session, run, log, options.Runner, options.Tools, options.CreateBackend, options.Reporter, options.Clock, options.GetEnvironment)
        {
            RepositoryBase = options.RepositoryBase,
            DevRoot = options.DevRoot,
            LaconicDataRoots = options.LaconicDataRoots,
        };
        log.Note($"run {run.Id}: {run.Command} of {session.Layout.Directory} ({run.Owner}@{run.Host}, pid {Environment.ProcessId})");
        options.Trace?.Mark("run recorded");
        try
        {
            if (leftovers is not null) await CleanUpAfterAsync(context, leftovers, cancellationToken);
            return await DriveStagesAsync(context, run, log, cancellationToken);
        }
        finally
        {
            // However the run ends (an interrupt too): the token does not stay in docker's credential store.
            await Registry.RegistryLogin.LogoutAsync(context);
        }
    }

    /// <summary>
    /// Before anything runs: what the children of an unfinished run wrote with nobody reading goes into this run's log
    /// (and their folders go), and the backend puts right what a child killed half-way left (compose's half-made
    /// recreate), saying what it did.
    /// </summary>
    private async Task CleanUpAfterAsync(RunContext context, Leftovers leftovers, CancellationToken cancellationToken)
    {
        DeadRunChildren.CollectOutput(leftovers.RunId, leftovers.Children, context.Log);
        if (context.Backend is not Backends.IInterruptedApplyRepair repair) return;
        foreach (var done in await repair.RepairInterruptedApplyAsync(cancellationToken))
        {
            options.Reporter.Warn(done);
            context.Log.Note(done);
        }
    }

    private async Task<RunOutcome> DriveStagesAsync(RunContext context, RunRecord run, FileCommandLog log, CancellationToken cancellationToken)
    {
        while (run.Next is { } record)
        {
            try
            {
                if (await RunStageAsync(context, record, cancellationToken) is { } ended) return ended;
            }
            catch (SlipwayException ex) when (ex.Reason == FailureReason.NoSpace)
            {
                return Stopped(context, record, ex);
            }
            catch (Exception ex) when (FileSystemFailure.From(ex) is { } failure)
            {
                return Stopped(context, record, failure);
            }
        }

        options.Trace?.Mark("stages done");
        try
        {
            return await FinishAsync(context, cancellationToken);
        }
        catch (Exception ex) when (FileSystemFailure.From(ex) is { } failure)
        {
            return Stopped(context, run.Stages[^1], failure);
        }
    }

    /// <summary>Runs one stage and records how it went; returns the run's end when the stage's failure ends it.</summary>
    private async Task<RunOutcome?> RunStageAsync(RunContext context, StageRecord record, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var log = context.Log;
        var stage = options.Plans.Find(run.Command, record.Name);
        record.State = StageState.Running;
        record.StartedAt = options.Clock.GetUtcNow();
        record.Error = null;
        context.Save();
        log.Note($"stage {record.Name}: started");
        try
        {
            var outcome = await options.Reporter.StepAsync($"{Counter(run, record)} {record.Name}", progress =>
            {
                context.Progress = progress;
                return stage.RunAsync(context, cancellationToken);
            });
            // Saved with the next stage's start (or the run's end): a run killed in between runs this stage again, which
            // every stage allows, and a run saves its record once per stage instead of twice.
            record.State = outcome.Skipped ? StageState.Skipped : StageState.Done;
            record.Note = outcome.Note;
            record.FinishedAt = options.Clock.GetUtcNow();
            log.Note($"stage {record.Name}: {Kebab(record.State)}{(outcome.Note is null ? "" : ": " + outcome.Note)}");
            if (outcome.Note is not null) options.Reporter.Detail(outcome.Note);
        }
        catch (SlipwayException ex) when (ex.Reason != FailureReason.NoSpace)
        {
            record.State = StageState.Failed;
            record.Error = ex.Message;
            record.FinishedAt = options.Clock.GetUtcNow();
            context.Save();
            log.Note($"stage {record.Name}: failed: {ex.Message}");
            if (Failed(context, record, ex) is { } ended) return ended;
        }

        return null;
    }

    /// <summary>
    /// A file-system failure (the disk full, a read-only file system) under a stage: the run cannot go on, but nothing
    /// about the live deployment failed. The run is left resumable (interrupted) and the message says what is live now,
    /// so that the operator frees space and runs <c>resume</c> instead of guessing.
    /// </summary>
    private RunOutcome Stopped(RunContext context, StageRecord stage, SlipwayException failure)
    {
        var run = context.Run;
        var directory = context.Session.Layout.Directory;
        var state = StateWhenStopped(run, stage);
        run.State = RunState.Interrupted;
        run.Failure = $"stopped at stage {stage.Name}: {failure.Message}";
        run.FinishedAt = options.Clock.GetUtcNow();
        try
        {
            context.Save();
        }
        catch (Exception ex) when (FileSystemFailure.From(ex) is not null)
        {
            // run.json keeps what it last said (a stage running): resume finishes such a run all the same.
        }

        context.Log.Note($"run {run.Id}: stopped at stage {stage.Name}: {failure.Message}; {state}");
        var fix = failure.Reason == FailureReason.NoSpace
            ? $"free space on the file system holding {directory} (df -h {directory})"
            : failure.Hint ?? "fix the file system";
        // Before its record was ever written there is nothing to resume: the command is run again.
        var then = File.Exists(context.Runs.FileOf(run.Id))
            ? $"'slipway deployment --dir {directory} resume' finishes the run from stage {stage.Name}"
            : $"run '{run.Command}' again";
        return new RunOutcome(run, context.Log.Path)
        {
            Message = $"{run.Command} stopped at stage {stage.Name}: {failure.Message}; {state}",
            Hint = $"{fix}, then {then}",
            Reason = failure.Reason,
        };
    }

    /// <summary>What is live when a run stops at <paramref name="stage"/>, from the stages its record says are done.</summary>
    private static string StateWhenStopped(RunRecord run, StageRecord stage)
    {
        bool Done(string name) => run.Stages.Any(s => s.Name == name && s.State == StageState.Done);
        if (run.Stages.Any(s => s.Name == StageNames.Diagnose))
        {
            return $"the release had failed ({run.Failure}) and the way back (diagnose, rollback) did not finish: what is live is not verified";
        }

        if (Done(StageNames.Verify))
        {
            return "the new version is live and verified healthy, but not recorded as a revision (history, rollback and the next run do not know it yet)";
        }

        return Done(StageNames.Apply) || stage.Name == StageNames.Apply
            ? "the new version may be partly applied and is not verified"
            : "nothing was applied: the live deployment is as it was";
    }

    /// <summary>
    /// A failed release gets the failure path (diagnose, and the rollback when a good revision exists and auto-rollback
    /// is on) and the loop goes on; any other failed stage, or a failed rollback, ends the run here.
    /// </summary>
    private RunOutcome? Failed(RunContext context, StageRecord stage, SlipwayException ex)
    {
        var run = context.Run;
        if (StagePlans.Releasing.Contains(stage.Name))
        {
            run.Failure = $"{stage.Name} failed: {ex.Message}";
            run.FailureReason = ex.Reason.ToString();
            run.FailureHint = ex.Hint;
            // A conflict (fields or a namespace someone else owns) would stop the rollback's apply of the same objects too.
            var target = context.Session.Spec.Rollout.AutoRollback && ex.Reason != FailureReason.Conflict ? context.Revisions.LastGood() : null;
            run.RollbackTarget = target?.Number;
            foreach (var rest in run.Stages.Where(s => s.State == StageState.Pending))
            {
                rest.State = StageState.Skipped;
                rest.Note = $"not run: {stage.Name} failed";
            }

            run.Stages.AddRange(options.Plans.Failure(rollBack: target is not null).Select(s => new StageRecord { Name = s.Name }));
            context.Save();
            return null;
        }

        run.FinishedAt = options.Clock.GetUtcNow();
        if (stage.Name is StageNames.RollbackApply or StageNames.RollbackVerify)
        {
            run.State = RunState.RollbackFailed;
            context.Save();
            return new RunOutcome(run, context.Log.Path)
            {
                Message = $"{run.Command} failed ({run.Failure}) and so did the rollback to revision {run.RollbackTarget}: {ex.Message}",
                Hint = "manual intervention needed: 'deployment diagnose' and 'deployment ps' show the state; the run log has the diagnosis",
                Reason = ex.Reason,
            };
        }

        run.State = RunState.Failed;
        run.Failure = $"{stage.Name} failed: {ex.Message}";
        run.FailureReason = ex.Reason.ToString();
        context.Save();
        var applied = run.Stages.Any(s => s.Name == StageNames.Apply && s.State == StageState.Done);
        return new RunOutcome(run, context.Log.Path)
        {
            Message = $"{run.Command} failed at stage {stage.Name}: {ex.Message}",
            Hint = ex.Hint ?? (applied ? null : "nothing was applied"),
            Reason = ex.Reason,
        };
    }

    private static async Task<RunOutcome> FinishAsync(RunContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        run.FinishedAt = context.Clock.GetUtcNow();
        var reason = Enum.TryParse<FailureReason>(run.FailureReason, out var parsed) ? parsed : FailureReason.DeploymentFailed;
        if (run.Stages.Any(s => s.Name == StageNames.RollbackVerify))
        {
            run.State = RunState.RolledBack;
            context.Save();
            return new RunOutcome(run, context.Log.Path)
            {
                Message = $"{run.Command} failed ({run.Failure}); rolled back to revision {run.RollbackTarget}, which is healthy again",
                Hint = HintWith(run, "the diagnosis is in the run log; fix the cause and run the deploy again"),
                Reason = reason,
            };
        }

        if (run.Stages.Any(s => s.Name == StageNames.Diagnose))
        {
            run.State = RunState.Failed;
            context.Save();
            var why = !context.Session.Spec.Rollout.AutoRollback ? "auto-rollback is off (rollout.auto-rollback: false)"
                : reason == FailureReason.Conflict ? "a rollback would meet the same conflict (it applies the same objects), so none was attempted"
                : "there is no good revision to roll back to";
            return new RunOutcome(run, context.Log.Path)
            {
                Message = $"{run.Command} failed ({run.Failure}); {why}, so the failed state is left in place for inspection",
                Hint = HintWith(run, "'deployment diagnose' and 'deployment logs' show it; the diagnosis is in the run log"),
                Reason = reason,
            };
        }

        run.State = RunState.Succeeded;
        context.Save();
        var layout = context.Session.Layout;
        if (run.Command == RunRequest.Rollback && run.Revision is { } live)
        {
            DeploymentPin.Write(layout, new PinRecord(live, run.RestoreRevision, run.Id, run.FinishedAt ?? context.Clock.GetUtcNow()));
            context.Reporter.Info($"pinned to revision {live}: start and restart refuse to move on from it without --unpin");
        }
        else if (run.Command is RunRequest.Start or RunRequest.Restart && DeploymentPin.Read(layout) is { } pin)
        {
            DeploymentPin.Clear(layout);
            context.Reporter.Info($"unpinned: revision {pin.Revision} (from rollback run {pin.RunId}) is no longer held");
        }

        return new RunOutcome(run, context.Log.Path) { FinalServices = context.LastServices ?? await context.Backend.StatusAsync(cancellationToken) };
    }

    /// <summary>
    /// <c>[3/6]</c> within the plan the run started with; the stages a failure adds count on their own
    /// (<c>[rollback 2/3]</c>), so the counter never jumps from [5/6] to [7/9].
    /// </summary>
    internal static string Counter(RunRecord run, StageRecord stage)
    {
        static bool OnFailurePath(StageRecord s) => s.Name is StageNames.Diagnose or StageNames.RollbackApply or StageNames.RollbackVerify;
        var path = run.Stages.Where(OnFailurePath).ToList();
        if (!OnFailurePath(stage))
        {
            var plan = run.Stages.Where(s => !OnFailurePath(s)).ToList();
            return $"[{plan.IndexOf(stage) + 1}/{plan.Count}]";
        }

        var label = path.Any(s => s.Name == StageNames.RollbackApply) ? "rollback" : "after the failure";
        return $"[{label} {path.IndexOf(stage) + 1}/{path.Count}]";
    }

    private static string HintWith(RunRecord run, string hint) => run.FailureHint is { } first ? $"{first}\n{hint}" : hint;

    private static string Kebab<T>(T value) where T : struct, Enum =>
        System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}
