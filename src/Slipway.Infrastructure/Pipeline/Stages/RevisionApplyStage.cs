using Slipway.Core.Verification;
using Slipway.Infrastructure.Verification;

namespace Slipway.Infrastructure.Pipeline.Stages;

/// <summary>rollback's apply: the revision's files put back into D and its pins taken as the run's, then applied like any other.</summary>
internal sealed class RevisionApplyStage(DeploymentVerifier verifier) : IStage
{
    public string Name => StageNames.Apply;

    public async Task<StageOutcome> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var target = context.Revisions.Restore(run.RestoreRevision!.Value, out var overrides);
        if (overrides is not null) context.Reporter.Warn(overrides);
        run.CarriedPins = new Dictionary<string, string>(target.ImagePins, StringComparer.Ordinal);
        run.BuiltPins.Clear();
        run.OverridePins.Clear();
        context.Reload();
        await SpecHookRunner.RunAsync(context.Session, SpecHookPhase.PreDeploy, context.Runner, context.Progress, cancellationToken);
        var pins = run.EffectivePins;
        await ApplyStage.ApplyAsync(context, verifier, pins, cancellationToken);
        return StageOutcome.Done(ApplyStage.ImagesNote(pins));
    }
}
