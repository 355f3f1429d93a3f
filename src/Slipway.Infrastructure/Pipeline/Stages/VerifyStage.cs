using Slipway.Core.Verification;
using Slipway.Infrastructure.Verification;

namespace Slipway.Infrastructure.Pipeline.Stages;

/// <summary>
/// verify: the backend's wait for health (rollouts done, every container ready), then the spec's HTTP/TCP checks, both
/// within what the apply before it left of the run's rollout timeout (apply and verify share one budget); then the spec's post-deploy hooks. The failure path's rollback-verify is the same
/// wait and checks over the whole deployment, without hooks.
/// </summary>
internal sealed class VerifyStage(DeploymentVerifier verifier, bool rollingBack = false) : IStage
{
    public string Name => rollingBack ? StageNames.RollbackVerify : StageNames.Verify;

    public async Task<StageOutcome> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        var started = context.Clock.GetUtcNow();
        var services = rollingBack ? [] : context.Run.Parameters.Services;
        var timeout = context.RolloutBudget();
        if (timeout <= TimeSpan.Zero) timeout = TimeSpan.FromSeconds(1);
        var health = await verifier.WaitHealthyAsync(context.Backend, services, timeout, context.Clock, context.Progress, cancellationToken);
        foreach (var line in health.Lines) context.Log.Note($"health: {line}");
        context.LastServices = health.Services;
        if (!health.Healthy) throw HealthWait.Failure(health, "the deployment is not healthy");

        var budget = timeout - (context.Clock.GetUtcNow() - started);
        var session = context.Session;
        var checks = await verifier.CheckAsync(session, context.Backend, budget, context.Clock, context.Progress, cancellationToken);
        foreach (var result in checks.Results) context.Log.Note($"verify: {result.DescribeOneLine()}");
        if (!checks.Passed) throw checks.Failure("verify checks failed");

        if (!rollingBack) await SpecHookRunner.RunAsync(session, SpecHookPhase.PostDeploy, context.Runner, context.Progress, cancellationToken);
        foreach (var note in health.Notes) context.Log.Note($"health: {note}");
        return StageOutcome.Done($"healthy: {health.Lines.Count} container(s){(checks.Results.Count == 0 ? "" : $", {checks.Results.Count} check(s)")}"
            + string.Concat(health.Notes.Select(n => "; " + n)));
    }
}
