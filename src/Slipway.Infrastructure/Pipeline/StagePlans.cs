using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Pipeline.Stages;

namespace Slipway.Infrastructure.Pipeline;

/// <summary>
/// The stages of each kind of run, built once: start, restart and rollback, and the failure path a failed apply or
/// verify takes (diagnose, then with a good revision to go back to rollback-apply and rollback-verify).
/// </summary>
public sealed class StagePlans
{
    public required IReadOnlyList<IStage> Start { get; init; }

    public required IReadOnlyList<IStage> Restart { get; init; }

    public required IReadOnlyList<IStage> Rollback { get; init; }

    public required IStage Diagnose { get; init; }

    public required IStage RollbackApply { get; init; }

    public required IStage RollbackVerify { get; init; }

    /// <summary>The stages whose failure is a failed release (something was applied): they take the failure path.</summary>
    public static readonly IReadOnlySet<string> Releasing = new HashSet<string> { StageNames.Apply, StageNames.Verify };

    public static StagePlans Create(IImageBuilder images, ISourceSync sync, DeploymentVerifier verifier, int diagnoseTailLines = 50)
    {
        var build = new BuildStage(images);
        var push = new PushStage(images);
        var apply = new ApplyStage(verifier);
        var verify = new VerifyStage(verifier);
        var record = new RecordStage();
        return new StagePlans
        {
            Start = [new PrepareStage(), build, push, apply, verify, record],
            Restart = [new SyncAndPrepareStage(sync), build, push, apply, verify, record],
            Rollback = [new RollbackPrepareStage(), new SkippedStage(StageNames.Build, "images come from the revision"), new RevisionImagesStage(), new RevisionApplyStage(verifier), verify, record],
            Diagnose = new DiagnoseStage(diagnoseTailLines),
            RollbackApply = new FailureRollbackApplyStage(verifier),
            RollbackVerify = new VerifyStage(verifier, rollingBack: true),
        };
    }

    public IReadOnlyList<IStage> For(string command) => command switch
    {
        RunRequest.Start => Start,
        RunRequest.Restart => Restart,
        RunRequest.Rollback => Rollback,
        _ => throw new SlipwayException(FailureReason.InvalidInput, $"there is no run '{command}'"),
    };

    /// <summary>The failure path after a failed release: always a diagnosis, and the rollback when there is a revision to put back.</summary>
    public IReadOnlyList<IStage> Failure(bool rollBack) => rollBack ? [Diagnose, RollbackApply, RollbackVerify] : [Diagnose];

    /// <summary>The stage a run record names, in that run's plan or the failure path.</summary>
    public IStage Find(string command, string name) =>
        For(command).Concat(Failure(rollBack: true)).FirstOrDefault(s => s.Name == name)
        ?? throw new SlipwayException(FailureReason.InvalidInput, $"a {command} run has no stage '{name}'");
}
