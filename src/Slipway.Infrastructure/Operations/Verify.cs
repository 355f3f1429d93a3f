using Slipway.Infrastructure.Pipeline;
using Slipway.Infrastructure.Verification;

namespace Slipway.Infrastructure.Operations;

/// <summary>What verify found: the backend's health, then (only when healthy) the spec's checks.</summary>
public sealed record VerifyResult(HealthReport Health, VerifyReport? Checks)
{
    public bool Passed => Health.Healthy && Checks is { Passed: true };
}

/// <summary><c>deployment --dir D verify</c>: the verify stage's wait and checks, run on their own; changes nothing.</summary>
public sealed class Verify(SlipwayEnvironment env, IProbe probe)
{
    public async Task<VerifyResult> RunAsync(string directory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var session = env.OpenDeployment(directory);
        var backend = env.Backend(session);
        var started = env.Clock.GetUtcNow();
        var health = await env.Reporter.StepAsync("verify", progress => HealthWait.WaitAsync(backend, [], timeout, progress, cancellationToken, env.Clock));
        if (!health.Healthy) return new VerifyResult(health, null);
        var budget = timeout - (env.Clock.GetUtcNow() - started);
        var checks = await env.Reporter.StepAsync("verify checks", progress =>
            new VerifyRunner(probe, env.Clock) { Secrets = session.SecretValues }.RunAsync(session.Spec.Verify, backend, progress, cancellationToken, budget));
        return new VerifyResult(health, checks);
    }
}
