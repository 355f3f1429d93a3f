using Slipway.Infrastructure.Pipeline;
using Slipway.Infrastructure.Verification;

namespace Slipway.Infrastructure.Operations;

/// <summary>What verify found: the backend's health, then (only when healthy) the spec's checks.</summary>
public sealed record VerifyResult(HealthReport Health, VerifyReport? Checks);

/// <summary><c>deployment --dir D verify</c>: the verify stage's wait and checks, run on their own; changes nothing.</summary>
public sealed class Verify(SlipwayEnvironment env)
{
    public async Task<VerifyResult> RunAsync(string directory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var verifier = env.Verifier ?? throw new InvalidOperationException("this environment has no verifier");
        var session = env.OpenDeployment(directory);
        var backend = env.Backend(session);
        var started = env.Clock.GetUtcNow();
        var health = await env.Reporter.StepAsync("verify", progress => verifier.WaitHealthyAsync(backend, [], timeout, env.Clock, progress, cancellationToken));
        if (!health.Healthy) return new VerifyResult(health, null);
        var budget = timeout - (env.Clock.GetUtcNow() - started);
        var checks = await env.Reporter.StepAsync("verify checks", progress => verifier.CheckAsync(session, backend, budget, env.Clock, progress, cancellationToken));
        return new VerifyResult(health, checks);
    }
}
