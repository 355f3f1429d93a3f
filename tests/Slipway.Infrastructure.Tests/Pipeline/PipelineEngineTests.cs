using System.Text.Json;
using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Pipeline;
using Slipway.Infrastructure.Tests.Support;

namespace Slipway.Infrastructure.Tests.Pipeline;

public sealed class PipelineEngineTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();
    private readonly FakeBackend _backend = new();
    private readonly FakeProcessRunner _runner = new() { Strict = true };
    private readonly string _d;

    public PipelineEngineTests()
    {
        _d = SampleDeployment.Write(_workspace);
        _backend.States.Add(FakeBackend.Healthy("web"));
    }

    public void Dispose() => _workspace.Dispose();

    private TestEngine Engine(IImageBuilder? images = null, Reporting.IReporter? reporter = null) =>
        new(new PipelineEngine(new PipelineOptions
        {
            Runner = _runner,
            CreateBackend = (session, _) => _backend.For(session),
            Plans = StagePlans.Create(images ?? new FakeImages([]), new PinsOnlySync(), new DeploymentVerifier(new NoProbe(), TimeSpan.FromMilliseconds(1))),
            Reporter = reporter ?? Reporting.NullReporter.Instance,
        }));

    /// <summary>The engine over a deployment directory opened for each run, as a command opens it.</summary>
    private sealed class TestEngine(PipelineEngine engine)
    {
        public Task<RunOutcome> RunAsync(string d, RunRequest request, CancellationToken cancellationToken) =>
            engine.RunAsync(DeploymentSession.Open(d), request, cancellationToken);

        public Task<RunOutcome> ResumeAsync(string d, bool breakLock, CancellationToken cancellationToken) =>
            engine.ResumeAsync(DeploymentSession.Open(d), breakLock, cancellationToken);
    }

    private void WriteRollout(string rollout) => File.WriteAllText(Path("spec.yml"), $"stack: ./stack\nrollout:\n{rollout}");

    private static RunRequest Start(int waitSeconds = 5) => new(RunRequest.Start) { WaitTimeout = TimeSpan.FromSeconds(waitSeconds) };

    private string Path(params string[] parts) => System.IO.Path.Combine([_d, .. parts]);

    private RunRecord LatestRun() => new RunStore(new Core.Deployments.DeploymentLayout(_d)).Latest()!;

    private string States(RunRecord run) => string.Join(" ", run.Stages.Select(s => $"{s.Name}:{JsonNamingPolicy.KebabCaseLower.ConvertName(s.State.ToString())}"));

    private string LogText(RunRecord run) => string.Concat(run.Logs.Select(File.ReadAllText));

    [Fact]
    public async Task A_failure_no_failure_path_takes_points_at_the_run_log()
    {
        var engine = new PipelineEngine(new PipelineOptions
        {
            Runner = _runner,
            CreateBackend = (_, _) => throw new SlipwayException(FailureReason.PrerequisiteMissing, "no engine"),
            Plans = StagePlans.Create(new FakeImages([]), new PinsOnlySync(), new DeploymentVerifier(new NoProbe(), TimeSpan.FromMilliseconds(1))),
        });

        var failure = await Assert.ThrowsAsync<SlipwayException>(() => engine.RunAsync(DeploymentSession.Open(_d), Start(), CancellationToken.None));

        Assert.Equal(Assert.Single(Directory.GetFiles(Path(".slipway", "logs"), "*-start.log")), Slipway.Infrastructure.Logging.FileCommandLog.Of(failure));
    }

    [Fact]
    public async Task The_backends_prepare_warnings_are_said_before_anything_is_applied()
    {
        var reporter = new RecordingReporter();
        _backend.PrepareWarnings.Add("Secret test-secret does not exist in namespace shop");
        var seenAtApply = -1;
        _backend.OnApply = _ =>
        {
            seenAtApply = reporter.Lines.FindIndex(l => l == "warn: Secret test-secret does not exist in namespace shop");
            return Task.CompletedTask;
        };

        await Engine(reporter: reporter).RunAsync(_d, Start(), CancellationToken.None);

        Assert.True(seenAtApply >= 0, string.Join("\n", reporter.Lines));
    }

    [Fact]
    public async Task The_spec_rollout_timeout_bounds_the_run_unless_the_command_gives_a_wait_timeout_which_wins()
    {
        WriteRollout("  timeout: 42s\n");

        var fromSpec = (await Engine().RunAsync(_d, new RunRequest(RunRequest.Start), CancellationToken.None)).Run;
        var fromCommand = (await Engine().RunAsync(_d, Start(waitSeconds: 7), CancellationToken.None)).Run;

        Assert.Equal(42, fromSpec.Parameters.WaitTimeoutSeconds);
        Assert.Equal(7, fromCommand.Parameters.WaitTimeoutSeconds);
        Assert.Equal(TimeSpan.FromSeconds(7), _backend.Applies[^1].WaitTimeout);
        Assert.NotNull(_backend.Applies[^1].Deadline);
    }

    [Fact]
    public async Task Start_runs_every_stage_in_order_and_records_each_before_it_runs()
    {
        string? seenDuringApply = null;
        _backend.OnApply = _ =>
        {
            seenDuringApply = States(LatestRun());
            return Task.CompletedTask;
        };

        var run = (await Engine().RunAsync(_d, Start(), CancellationToken.None)).Run;

        Assert.Equal("prepare:done build:skipped push:skipped apply:running verify:pending record:pending", seenDuringApply);
        Assert.Equal(RunState.Succeeded, LatestRun().State);
        Assert.Equal("prepare:done build:skipped push:skipped apply:done verify:done record:done", States(LatestRun()));
        Assert.Equal(1, run.Revision);
        Assert.False(_backend.Applies.Single().Wait, "the pipeline waits for health in its own verify stage");
        Assert.False(File.Exists(Path(".slipway", "lock")), "the lock is released");
        var log = LogText(run);
        Assert.Contains("stage apply: started", log);
        Assert.Contains("stage record: done: recorded revision 1", log);
    }

    [Fact]
    public async Task A_revision_snapshots_the_rendered_files_but_never_data_overrides_state_or_identity()
    {
        _workspace.WriteFile("deployment/data/web-data/db.bin", "data");
        _workspace.WriteFile("deployment/compose/docker-compose-web.yml.bak", "old");

        await Engine().RunAsync(_d, Start(), CancellationToken.None);

        var files = Directory.EnumerateFiles(Path(".slipway", "revisions", "1", "files"), "*", SearchOption.AllDirectories)
            .Select(f => System.IO.Path.GetRelativePath(Path(".slipway", "revisions", "1", "files"), f)).Order(StringComparer.Ordinal);
        Assert.Equal(["compose-jobs/docker-compose-migrate.yml", "compose/docker-compose-web.yml", "compose/docker-compose-worker.yml", "config.env", "spec.yml", "stack.yml"], files);
        var revision = new RevisionStore(new Core.Deployments.DeploymentLayout(_d)).Find(1)!;
        Assert.Equal(RevisionRecord.Good, revision.Result);
        Assert.Equal(12, revision.SpecHash.Length);
        Assert.Equal("shop/web:local", revision.Images["web"]);
    }

    [Fact]
    public async Task A_restart_that_changes_nothing_records_no_new_revision()
    {
        await Engine().RunAsync(_d, Start(), CancellationToken.None);

        var again = (await Engine().RunAsync(_d, new RunRequest(RunRequest.Restart), CancellationToken.None)).Run;

        Assert.Equal(1, again.Revision);
        Assert.Equal("unchanged: still revision 1", again.Stages.Single(s => s.Name == StageNames.Record).Note);
        Assert.Single(new RevisionStore(new Core.Deployments.DeploymentLayout(_d)).List());
    }

    [Fact]
    public async Task An_unhealthy_release_is_diagnosed_recorded_as_failed_and_the_last_good_revision_is_put_back()
    {
        await Engine().RunAsync(_d, Start(), CancellationToken.None);
        var good = File.ReadAllText(Path("compose", "docker-compose-web.yml"));
        File.WriteAllText(Path("compose", "docker-compose-web.yml"), "services:\n  web:\n    image: shop/web:broken\n");
        _backend.Statuses.Enqueue([FakeBackend.Unhealthy("web")]);
        _backend.Statuses.Enqueue([FakeBackend.Healthy("web")]);
        _backend.Diagnosis = $"web: unhealthy; password {SampleDeployment.Password} in its log";

        var outcome = await Engine().RunAsync(_d, Start(), CancellationToken.None);

        Assert.Equal(RunState.RolledBack, outcome.State);
        Assert.Contains("rolled back to revision 1", outcome.Message);
        var run = LatestRun();
        Assert.Equal(RunState.RolledBack, run.State);
        Assert.Equal("prepare:done build:skipped push:skipped apply:done verify:failed record:skipped diagnose:done rollback-apply:done rollback-verify:done", States(run));
        Assert.Equal(good, File.ReadAllText(Path("compose", "docker-compose-web.yml")));
        Assert.Equal(3, _backend.Applies.Count);
        var revisions = new RevisionStore(new Core.Deployments.DeploymentLayout(_d)).List();
        Assert.Equal([(1, "good"), (2, "failed")], revisions.Select(r => (r.Number, r.Result)));
        Assert.Equal("shop/web:broken", revisions[1].Images["web"]);
        var log = LogText(run);
        Assert.Contains("note: diagnosis:", log);
        Assert.Contains("web: unhealthy; password [REDACTED] in its log", log);
        Assert.DoesNotContain(SampleDeployment.Password, log);
    }

    [Fact]
    public async Task Without_a_good_revision_a_failed_verify_leaves_the_failed_state_and_is_a_verify_timeout()
    {
        _backend.Statuses.Enqueue([FakeBackend.Unhealthy("web")]);

        var outcome = await Engine().RunAsync(_d, Start(), CancellationToken.None);

        Assert.Equal(FailureReason.VerifyTimeout, outcome.Reason);
        Assert.Contains("there is no good revision to roll back to", outcome.Message);
        Assert.Single(_backend.Applies);
        Assert.Equal("prepare:done build:skipped push:skipped apply:done verify:failed record:skipped diagnose:done", States(LatestRun()));
        Assert.Equal(RunState.Failed, LatestRun().State);
    }

    [Fact]
    public async Task A_service_that_never_becomes_healthy_fails_verify_at_its_timeout()
    {
        _backend.Statuses.Enqueue([FakeBackend.Starting("web")]);

        var outcome = await Engine().RunAsync(_d, Start(waitSeconds: 1), CancellationToken.None);

        Assert.Equal(FailureReason.VerifyTimeout, outcome.Reason);
        Assert.Contains("not healthy after 1s: web", outcome.Message);
    }

    [Fact]
    public async Task When_the_rollback_fails_too_the_run_is_rollback_failed()
    {
        await Engine().RunAsync(_d, Start(), CancellationToken.None);
        _backend.OnApply = n => n >= 2 ? throw FakeBackend.ApplyFailure() : Task.CompletedTask;

        var outcome = await Engine().RunAsync(_d, Start(), CancellationToken.None);

        Assert.Equal(RunState.RollbackFailed, outcome.State);
        Assert.Equal(RunState.RollbackFailed, LatestRun().State);
        Assert.Equal("prepare:done build:skipped push:skipped apply:failed verify:skipped record:skipped diagnose:done rollback-apply:failed rollback-verify:pending", States(LatestRun()));
    }

    [Fact]
    public async Task A_field_conflict_at_apply_is_not_rolled_back_into_the_same_conflict_and_says_why()
    {
        await Engine().RunAsync(_d, Start(), CancellationToken.None);
        // What the real server answered after 'kubectl patch' of the Deployment's replicas.
        _backend.OnApply = _ => throw new SlipwayException(FailureReason.Conflict,
            "kubectl apply found fields of this deployment's objects that another field manager owns:\nerror: Apply failed with 1 conflict: conflict with \"kubectl-patch\" using apps/v1: .spec.replicas",
            "undo that change, or 'start --force-conflicts'");

        var outcome = await Engine().RunAsync(_d, Start(), CancellationToken.None);

        Assert.Equal(RunState.Failed, outcome.State);
        Assert.Equal(FailureReason.Conflict, outcome.Reason);
        Assert.Contains("a rollback would meet the same conflict", outcome.Message);
        Assert.Contains("\"kubectl-patch\" using apps/v1: .spec.replicas", outcome.Message);
        Assert.Contains("--force-conflicts", outcome.Hint);
        Assert.Equal(2, _backend.Applies.Count);
        Assert.Equal("prepare:done build:skipped push:skipped apply:failed verify:skipped record:skipped diagnose:done", States(LatestRun()));
    }

    [Fact]
    public async Task Force_conflicts_reaches_the_backends_apply_only_when_asked()
    {
        await Engine().RunAsync(_d, Start(), CancellationToken.None);
        await Engine().RunAsync(_d, Start() with { ForceConflicts = true }, CancellationToken.None);

        Assert.Equal([false, true], _backend.Applies.Select(a => a.ForceConflicts));
    }

    [Fact]
    public async Task Auto_rollback_off_leaves_the_failed_release_in_place()
    {
        await Engine().RunAsync(_d, Start(), CancellationToken.None);
        _backend.Statuses.Enqueue([FakeBackend.Unhealthy("web")]);

        WriteRollout("  auto-rollback: false\n");

        var outcome = await Engine().RunAsync(_d, Start(), CancellationToken.None);

        Assert.Equal(FailureReason.VerifyTimeout, outcome.Reason);
        Assert.Contains("auto-rollback is off", outcome.Message);
        Assert.Equal(2, _backend.Applies.Count);
    }

    [Fact]
    public async Task A_second_run_is_refused_while_a_live_process_holds_the_lock()
    {
        var inApply = new TaskCompletionSource();
        var finish = new TaskCompletionSource();
        _backend.OnApply = async _ =>
        {
            inApply.SetResult();
            await finish.Task;
        };
        var first = Engine().RunAsync(_d, Start(), CancellationToken.None);
        await inApply.Task;

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => Engine().RunAsync(_d, Start(), CancellationToken.None));

        finish.SetResult();
        await first;
        Assert.Equal(FailureReason.Locked, ex.Reason);
        Assert.Contains("is locked by run", ex.Message);
        Assert.Contains($"pid {Environment.ProcessId}", ex.Message);
    }

    [Fact]
    public async Task A_stale_lock_is_reported_and_broken_only_when_asked()
    {
        WriteLock(DeadPid(), "20200101-000000-start-dead");

        var refused = await Assert.ThrowsAsync<SlipwayException>(() => Engine().RunAsync(_d, Start(), CancellationToken.None));
        var reporter = new RecordingReporter();
        await Engine(reporter: reporter).RunAsync(_d, Start() with { BreakLock = true }, CancellationToken.None);

        Assert.Equal(FailureReason.Locked, refused.Reason);
        Assert.Contains("stale lock", refused.Message);
        Assert.Contains("--break-lock", refused.Hint);
        Assert.Contains(reporter.Lines, l => l.StartsWith("warn: broke the stale lock of run 20200101-000000-start-dead", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("not json {")]
    [InlineData("")]
    [InlineData(null)] // a folder where the lock file belongs
    [InlineData("{}")] // read as is: no host, so another host's lock, never stale
    [InlineData("""{"owner": "ops", "command": "start", "runId": "20200101-000000000-start-beef"}""")]
    public async Task A_lock_that_is_null_garbage_a_folder_or_without_its_keys_is_a_stale_lock_like_any_other(string? content)
    {
        var lockPath = Path(".slipway", "lock");
        Directory.CreateDirectory(Path(".slipway"));
        if (content is null)
        {
            Directory.CreateDirectory(System.IO.Path.Combine(lockPath, "inside"));
        }
        else
        {
            File.WriteAllText(lockPath, content);
        }

        var refused = await Assert.ThrowsAsync<SlipwayException>(() => Engine().RunAsync(_d, Start(), CancellationToken.None));
        Assert.Equal(FailureReason.Locked, refused.Reason);
        Assert.Contains("stale lock", refused.Message);
        Assert.Contains("--break-lock", refused.Hint);

        var run = (await Engine().RunAsync(_d, Start() with { BreakLock = true }, CancellationToken.None)).Run;
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.False(File.Exists(lockPath) || Directory.Exists(lockPath), "the run releases the lock it took");
        Assert.Empty(Directory.GetFiles(Path(".slipway"), "lock.*"));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("{ \"id\": ")]
    [InlineData("{}")]
    [InlineData("""{"id": "r", "command": "start"}""")] // read as is: a run "running" without stages
    public async Task An_unreadable_run_record_is_named_with_the_way_out_and_break_lock_sets_it_aside(string content)
    {
        await Engine().RunAsync(_d, Start(), CancellationToken.None);
        var damaged = LatestRun().Id;
        File.WriteAllText(Path(".slipway", "runs", damaged, "run.json"), content);

        var refused = await Assert.ThrowsAsync<DamagedRunException>(() => Engine().RunAsync(_d, Start(), CancellationToken.None));
        Assert.Contains("run.json", refused.Message);
        Assert.Contains("--break-lock", refused.Hint);
        await Assert.ThrowsAsync<DamagedRunException>(() => Engine().ResumeAsync(_d, breakLock: false, CancellationToken.None));

        var reporter = new RecordingReporter();
        var run = (await Engine(reporter: reporter).RunAsync(_d, Start() with { BreakLock = true }, CancellationToken.None)).Run;

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Contains(reporter.Lines, l => l.StartsWith("warn: the run record", StringComparison.Ordinal) && l.Contains("runs-damaged"));
        Assert.Single(Directory.GetDirectories(Path(".slipway", "runs-damaged")));
    }

    [Fact]
    public async Task A_lock_from_another_host_is_never_called_stale_but_break_lock_takes_it()
    {
        Directory.CreateDirectory(Path(".slipway"));
        File.WriteAllText(Path(".slipway", "lock"), JsonSerializer.Serialize(
            new LockOwner("ops", "other-host", 4242, 1, DateTimeOffset.UtcNow, "restart", "20300101-000000000-restart-beef"), StateJson.Default.LockOwner));

        var refused = await Assert.ThrowsAsync<SlipwayException>(() => Engine().RunAsync(_d, Start(), CancellationToken.None));
        var run = (await Engine().RunAsync(_d, Start() with { BreakLock = true }, CancellationToken.None)).Run;

        Assert.Equal(FailureReason.Locked, refused.Reason);
        Assert.Contains("ops@other-host, pid 4242", refused.Message);
        Assert.DoesNotContain("stale", refused.Message);
        Assert.Contains("on host other-host", refused.Hint);
        Assert.Equal(RunState.Succeeded, run.State);
    }

    [Fact]
    public async Task Break_lock_never_breaks_the_lock_of_a_live_local_process()
    {
        WriteLock(Environment.ProcessId, "20300101-000000000-start-live", processStart: DeploymentLockStart());

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => Engine().RunAsync(_d, Start() with { BreakLock = true }, CancellationToken.None));

        Assert.Equal(FailureReason.Locked, ex.Reason);
        Assert.Empty(_backend.Applies);
    }

    [Fact]
    public async Task Resume_finishes_an_interrupted_run_from_its_unfinished_stage_without_redoing_the_finished_ones()
    {
        using var cts = new CancellationTokenSource();
        _backend.OnStatus = () =>
        {
            cts.Cancel();
            cts.Token.ThrowIfCancellationRequested();
            return Task.CompletedTask;
        };
        var interrupted = await Engine().RunAsync(_d, Start(), cts.Token);
        Assert.Equal(RunState.Interrupted, interrupted.State);
        Assert.Contains("interrupted at stage verify", interrupted.Message);
        Assert.Contains("resume' finishes it", interrupted.Hint);
        Assert.Equal(RunState.Interrupted, LatestRun().State);
        Assert.Equal("prepare:done build:skipped push:skipped apply:done verify:running record:pending", States(LatestRun()));
        _backend.OnStatus = null;

        var run = (await Engine().ResumeAsync(_d, breakLock: false, CancellationToken.None)).Run;

        Assert.Single(_backend.Applies);
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal("prepare:done build:skipped push:skipped apply:done verify:done record:done", States(run));
        Assert.Equal(2, run.Logs.Count);
        Assert.EndsWith("-resume.log", run.Logs[1]);
    }

    [Theory]
    [InlineData(false)] // resume
    [InlineData(true)] // a start that breaks the dead run's lock and supersedes it
    public async Task What_a_dead_runs_child_left_in_its_output_folder_goes_into_the_next_runs_log_and_the_folder_goes(bool supersede)
    {
        using var cts = new CancellationTokenSource();
        _backend.OnApply = _ =>
        {
            cts.Cancel();
            cts.Token.ThrowIfCancellationRequested();
            return Task.CompletedTask;
        };
        await Engine().RunAsync(_d, Start(), cts.Token);
        _backend.OnApply = null;
        var dead = LatestRun();
        var folder = Directory.CreateTempSubdirectory("slipway-child-").FullName;
        File.WriteAllText(System.IO.Path.Combine(folder, "stderr"), " Container shop-web-1  Recreated\n");
        dead.State = RunState.Running; // killed, not ended by a signal
        dead.Children.Add(new ChildProcess(DeadPid(), 0, "docker compose", folder));
        new RunStore(new Core.Deployments.DeploymentLayout(_d)).Save(dead);
        WriteLock(DeadPid(), dead.Id);

        var run = supersede
            ? (await Engine().RunAsync(_d, Start() with { BreakLock = true }, CancellationToken.None)).Run
            : (await Engine().ResumeAsync(_d, breakLock: false, CancellationToken.None)).Run;

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.False(Directory.Exists(folder), $"{folder} was left behind");
        var log = File.ReadAllText(run.Logs[^1]);
        Assert.Contains($"(docker compose), left by run {dead.Id} in {folder}:", log);
        Assert.Contains("  err|  Container shop-web-1  Recreated\n", log);
    }

    [Fact]
    public async Task Resume_takes_over_the_stale_lock_of_the_run_it_resumes()
    {
        using var cts = new CancellationTokenSource();
        _backend.OnApply = _ =>
        {
            cts.Cancel();
            cts.Token.ThrowIfCancellationRequested();
            return Task.CompletedTask;
        };
        Assert.Equal(RunState.Interrupted, (await Engine().RunAsync(_d, Start(), cts.Token)).State);
        _backend.OnApply = null;
        var interrupted = LatestRun();
        WriteLock(DeadPid(), interrupted.Id); // as a SIGKILL leaves it

        var run = (await Engine().ResumeAsync(_d, breakLock: false, CancellationToken.None)).Run;

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(2, _backend.Applies.Count);
    }

    [Fact]
    public async Task Resume_with_nothing_interrupted_says_so()
    {
        await Engine().RunAsync(_d, Start(), CancellationToken.None);

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => Engine().ResumeAsync(_d, false, CancellationToken.None));

        Assert.Equal(FailureReason.NotFound, ex.Reason);
        Assert.Contains("nothing to resume", ex.Message);
    }

    [Fact]
    public async Task Built_pins_are_applied_overrides_win_and_pins_carry_into_the_next_run()
    {
        var images = new FakeImages([new ImagePin("shop/web:local", "shop/web:abc123")]);
        await Engine(images).RunAsync(_d, Start(), CancellationToken.None);
        Assert.Equal("shop/web:abc123", _backend.Applies[0].ImagePins["shop/web:local"]);
        Assert.Equal(["shop/web:abc123"], _backend.Loaded.Single());

        await Engine().RunAsync(_d, new RunRequest(RunRequest.Restart) { ServiceImages = new Dictionary<string, string> { ["web"] = "shop/web:hotfix" } }, CancellationToken.None);
        Assert.Equal("shop/web:hotfix", _backend.Applies[1].ImagePins["shop/web:local"]);

        await Engine().RunAsync(_d, Start(), CancellationToken.None);
        Assert.Equal("shop/web:hotfix", _backend.Applies[2].ImagePins["shop/web:local"]);
        var revisions = new RevisionStore(new Core.Deployments.DeploymentLayout(_d)).List();
        Assert.Equal(["shop/web:abc123", "shop/web:hotfix"], revisions.Select(r => r.Images["web"]));
        Assert.Equal("prepare:done build:skipped push:done apply:done verify:done record:done", States(LatestRun()));
    }

    [Fact]
    public async Task Rollback_to_a_revision_restores_its_files_and_pins_and_records_a_copy()
    {
        var images = new FakeImages([new ImagePin("shop/web:local", "shop/web:one")]);
        await Engine(images).RunAsync(_d, Start(), CancellationToken.None);
        var first = File.ReadAllText(Path("compose", "docker-compose-web.yml"));
        File.WriteAllText(Path("compose", "docker-compose-web.yml"), first + "# two\n");
        File.WriteAllText(Path("compose", "docker-compose-extra.yml"), "services: {}\n");
        images.Pins = [new ImagePin("shop/web:local", "shop/web:two")];
        await Engine(images).RunAsync(_d, Start(), CancellationToken.None);

        var run = (await Engine().RunAsync(_d, new RunRequest(RunRequest.Rollback) { ToRevision = 1 }, CancellationToken.None)).Run;

        Assert.Equal(first, File.ReadAllText(Path("compose", "docker-compose-web.yml")));
        Assert.False(File.Exists(Path("compose", "docker-compose-extra.yml")), "a file revision 1 did not have is removed");
        Assert.Equal("shop/web:one", _backend.Applies[^1].ImagePins["shop/web:local"]);
        Assert.Equal(3, run.Revision);
        Assert.Equal(1, new RevisionStore(new Core.Deployments.DeploymentLayout(_d)).Find(3)!.SourceRevision);
        Assert.Equal("prepare:done build:skipped push:done apply:done verify:done record:done", States(run));
    }

    [Fact]
    public async Task Rollback_to_a_revision_that_does_not_exist_changes_nothing()
    {
        await Engine().RunAsync(_d, Start(), CancellationToken.None);

        var outcome = await Engine().RunAsync(_d, new RunRequest(RunRequest.Rollback) { ToRevision = 7 }, CancellationToken.None);

        Assert.Equal(RunState.Failed, outcome.State);
        Assert.Equal(FailureReason.NotFound, outcome.Reason);
        Assert.Contains("revision 7 does not exist", outcome.Message);
        Assert.Single(_backend.Applies);
    }

    [Fact]
    public async Task Revisions_beyond_the_history_limit_are_pruned_oldest_first()
    {
        WriteRollout("  history-limit: 2\n");
        for (var i = 0; i < 4; i++)
        {
            File.AppendAllText(Path("compose", "docker-compose-web.yml"), $"\n# change {i}\n");
            await Engine().RunAsync(_d, Start(), CancellationToken.None);
        }

        Assert.Equal([3, 4], new RevisionStore(new Core.Deployments.DeploymentLayout(_d)).List().Select(r => r.Number));
    }

    private void WriteLock(int pid, string runId, long processStart = 1)
    {
        Directory.CreateDirectory(Path(".slipway"));
        File.WriteAllText(Path(".slipway", "lock"), JsonSerializer.Serialize(
            new LockOwner("someone", Environment.MachineName, pid, processStart, DateTimeOffset.UtcNow, "start", runId), StateJson.Default.LockOwner));
    }

    /// <summary>This process's start time as the lock records it (so the lock reads as held by a live process).</summary>
    private static long DeploymentLockStart()
    {
        var stat = File.ReadAllText($"/proc/{Environment.ProcessId}/stat");
        return long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static int DeadPid()
    {
        using var process = System.Diagnostics.Process.Start("true")!;
        process.WaitForExit();
        return process.Id;
    }

    private sealed class FakeImages(IReadOnlyList<ImagePin> pins) : IImageBuilder
    {
        public IReadOnlyList<ImagePin> Pins { get; set; } = pins;

        public Task<IReadOnlyList<ImagePin>> BuildAsync(RunContext context, CancellationToken cancellationToken) => Task.FromResult(Pins);

        public Task<IReadOnlyList<ImagePin>> PublishAsync(RunContext context, IReadOnlyList<ImagePin> built, CancellationToken cancellationToken) =>
            Task.FromResult(built);
    }

    /// <summary>A restart's sync that pulls nothing: each --image override pins its service's image in D.</summary>
    private sealed class PinsOnlySync : ISourceSync
    {
        public Task<SourceSyncResult> SyncAsync(RunContext context, IReadOnlyDictionary<string, string> serviceImages, CancellationToken cancellationToken) =>
            Task.FromResult(new SourceSyncResult(serviceImages.Select(s => new ImagePin(context.Session.ServiceImages[s.Key], s.Value)).ToList(), [], []));
    }

    private sealed class NoProbe : Infrastructure.Verification.IProbe
    {
        public Task<Infrastructure.Verification.ProbeOutcome> HttpGetAsync(Uri url, int expectStatus, TimeSpan timeout, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<Infrastructure.Verification.ProbeOutcome> TcpConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed class RecordingReporter : Reporting.IReporter
    {
        public List<string> Lines { get; } = [];

        public void Info(string message) => Lines.Add("info: " + message);

        public void Warn(string message) => Lines.Add("warn: " + message);

        public void Detail(string message) => Lines.Add("detail: " + message);

        public Task<T> StepAsync<T>(string title, Func<Action<string>, Task<T>> work) => work(_ => { });
    }
}
