using Slipway.Infrastructure.Pipeline;

namespace Slipway.Infrastructure.Tests.Pipeline;

/// <summary>The console's stage counter numbers the stages a run really takes: the plan, then the failure path on its own.</summary>
public sealed class StageCounterTests
{
    private static RunRecord Run(params (string Name, StageState State)[] stages)
    {
        var run = new RunRecord { Id = "r1", Command = RunRequest.Start };
        run.Stages.AddRange(stages.Select(s => new StageRecord { Name = s.Name, State = s.State }));
        return run;
    }

    [Fact]
    public void A_run_without_a_failure_counts_its_plan()
    {
        var run = Run(("prepare", StageState.Done), ("build", StageState.Done), ("push", StageState.Done), ("apply", StageState.Running), ("verify", StageState.Pending), ("record", StageState.Pending));

        Assert.Equal("[4/6]", PipelineEngine.Counter(run, run.Stages[3]));
    }

    [Fact]
    public void After_a_failed_verify_the_rollback_counts_its_own_stages_instead_of_jumping_to_7_of_9()
    {
        var run = Run(("prepare", StageState.Done), ("build", StageState.Done), ("push", StageState.Done), ("apply", StageState.Done), ("verify", StageState.Failed), ("record", StageState.Skipped),
            ("diagnose", StageState.Done), ("rollback-apply", StageState.Running), ("rollback-verify", StageState.Pending));

        Assert.Equal(["[1/6]", "[2/6]", "[3/6]", "[4/6]", "[5/6]", "[6/6]", "[rollback 1/3]", "[rollback 2/3]", "[rollback 3/3]"],
            run.Stages.Select(s => PipelineEngine.Counter(run, s)));
    }

    [Fact]
    public void Without_a_revision_to_roll_back_to_the_diagnosis_is_the_only_stage_after_the_failure()
    {
        var run = Run(("prepare", StageState.Done), ("build", StageState.Done), ("push", StageState.Done), ("apply", StageState.Failed), ("verify", StageState.Skipped), ("record", StageState.Skipped), ("diagnose", StageState.Running));

        Assert.Equal("[after the failure 1/1]", PipelineEngine.Counter(run, run.Stages[6]));
    }
}

public sealed class ApplyStageEventTests
{
    [Theory]
    [InlineData(" Container d1-web-1  Recreated", "web", "recreated")]
    [InlineData("Container d1-db-migrate-1  Created", "db-migrate", "created")]
    public void Compose_container_events_name_the_service_and_what_happened(string line, string service, string action)
    {
        Assert.Equal((service, action), Slipway.Infrastructure.Pipeline.Stages.ApplyStage.ContainerEvent(line, "d1"));
    }

    [Theory]
    [InlineData(" Container d1-web-1  Running")]
    [InlineData(" Container d1-web-1  Recreate")]
    [InlineData("Network d1_default  Created")]
    public void Other_progress_lines_are_not_events(string line)
    {
        Assert.Null(Slipway.Infrastructure.Pipeline.Stages.ApplyStage.ContainerEvent(line, "d1"));
    }
}
