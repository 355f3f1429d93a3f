using Slipway.Core.Verification;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Registry;
using Slipway.Infrastructure.Verification;

namespace Slipway.Infrastructure.Pipeline.StageBodies;

/// <summary>prepare: placeholders, missing required keys, unknown verify services (errors); env-file hygiene (warnings); a push that could not log in.</summary>
public sealed class SpecPrepareCheck : IPrepareCheck
{
    public async Task CheckAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        var problems = await VerificationStages.PrepareAsync(context.Deployment, context.Runner, cancellationToken);
        foreach (var warning in problems.Where(p => !p.IsError)) context.Reporter.Warn(warning.ToString());
        DeploymentChecks.ThrowIfAny(problems);

        var spec = context.Deployment.Spec;
        if (spec.ImageRegistry is { } registry)
        {
            // Refuse before anything is built: a token that is missing now would fail the push stage later.
            ImagePublisher.CheckLogin(ImageStage.PushRequestFor(context.Deployment, spec, registry.Value));
        }
    }
}

/// <summary>verify: the spec's HTTP/TCP checks, after the engine's own health wait.</summary>
public sealed class SpecVerifier : IVerifier
{
    public async Task<VerifyReport> VerifyAsync(PipelineContext context, IDeploymentBackend backend, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var report = await VerificationStages.VerifyAsync(context.Deployment, backend, context.Progress, cancellationToken);
        var lines = report.Results.Select(r => r.DescribeOneLine()).ToList();
        return new VerifyReport(report.Passed, lines, TimedOut: !report.Passed);
    }
}

/// <summary>The spec's pre-deploy and post-deploy commands.</summary>
public sealed class SpecDeployHooks : IDeployHooks
{
    public Task RunAsync(string hook, PipelineContext context, CancellationToken cancellationToken) =>
        VerificationStages.RunHooksAsync(context.Deployment, hook == "pre-deploy" ? SpecHookPhase.PreDeploy : SpecHookPhase.PostDeploy,
            context.Runner, context.Progress, cancellationToken);
}

public static class SpecRollout
{
    /// <summary>The spec's rollout settings as the engine's policy (history-limit, auto-rollback).</summary>
    public static RolloutPolicy PolicyOf(Deployments.Deployment deployment)
    {
        var rollout = deployment.Spec.Rollout;
        return new RolloutPolicy(rollout.HistoryLimit, rollout.AutoRollback);
    }
}
