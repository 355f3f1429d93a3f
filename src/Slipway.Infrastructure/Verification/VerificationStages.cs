using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Core.Verification;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Verification;

/// <summary>
/// The verify branch's work as the pipeline's stages call it, over an opened deployment: one call each for prepare,
/// the spec hooks, and verify. Pass the run's logging process runner so hook and git commands reach the run log.
/// </summary>
public static class VerificationStages
{
    /// <summary>
    /// Prepare: errors (placeholders, missing/empty required keys, unknown verify services) and warnings (env files in
    /// git or world-readable). Throw the errors with <see cref="DeploymentChecks.ThrowIfAny"/>; show the warnings.
    /// </summary>
    public static async Task<IReadOnlyList<Diagnostic>> PrepareAsync(Deployment deployment, IProcessRunner runner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var problems = DeploymentChecks.Prepare(deployment, deployment.Spec).ToList();

        // env-file paths are relative to the git-tracked spec, not to D's copy of it.
        if (deployment.Identity.SpecSource is { } source && File.Exists(source))
        {
            var diagnostics = new DiagnosticBag();
            var spec = SpecParser.Parse(await File.ReadAllTextAsync(source, cancellationToken), source, diagnostics);
            if (!diagnostics.HasErrors)
            {
                problems.AddRange(await new EnvFileHygiene(runner).CheckAsync(spec, cancellationToken));
            }
        }

        return problems;
    }

    /// <summary>Runs the spec's pre-deploy or post-deploy commands (none: nothing runs).</summary>
    public static Task<IReadOnlyList<ProcessResult>> RunHooksAsync(Deployment deployment, SpecHookPhase phase, IProcessRunner runner, Action<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var hooks = deployment.Spec.Hooks;
        return new SpecHookRunner(runner).RunAsync(hooks, phase, SpecHookContext.For(deployment), progress, cancellationToken);
    }

    /// <summary>Verify: the spec's checks against the backend, with real HTTP/TCP probes, secrets redacted from the report.</summary>
    public static async Task<VerifyReport> VerifyAsync(Deployment deployment, IDeploymentBackend backend, Action<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var checks = deployment.Spec.Verify;
        using var probe = new NetworkProbe();
        return await new VerifyRunner(probe) { Secrets = deployment.SecretValues }.RunAsync(checks, backend, progress, cancellationToken);
    }
}
