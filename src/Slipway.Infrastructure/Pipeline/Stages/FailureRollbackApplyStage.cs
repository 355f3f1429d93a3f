using Slipway.Core.Diagnostics;

namespace Slipway.Infrastructure.Pipeline.Stages;

/// <summary>The failure path's rollback-apply: the last good revision's files and images put back and applied to the whole deployment.</summary>
internal sealed class FailureRollbackApplyStage(DeploymentVerifier verifier) : IStage
{
    public string Name => StageNames.RollbackApply;

    public async Task<StageOutcome> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        var target = context.Run.RollbackTarget ?? throw new SlipwayException(FailureReason.NotFound, "no revision to roll back to");
        var revision = context.Revisions.Restore(target, out var overrides);
        if (overrides is not null) context.Reporter.Warn(overrides);
        context.Reload();
        await PushStage.LoadAsync(context, revision.ImagePins, cancellationToken);
        await ApplyStage.ApplyAsync(context, verifier, revision.ImagePins, cancellationToken, allServices: true);
        return StageOutcome.Done($"revision {target} re-applied (files, overrides and images; volumes untouched){(overrides is null ? "" : "; " + overrides)}");
    }
}
