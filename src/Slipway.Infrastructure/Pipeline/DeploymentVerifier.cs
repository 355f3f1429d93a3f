using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Verification;

namespace Slipway.Infrastructure.Pipeline;

/// <summary>
/// Verify's two waits with the host's probe and poll interval, made once by the composition root: the verify stages
/// and <c>deployment verify</c> run the same ones.
/// </summary>
public sealed class DeploymentVerifier(IProbe probe, TimeSpan pollInterval)
{
    /// <summary>The backend's health: rollouts done and every container or pod of <paramref name="services"/> (empty: all) ready.</summary>
    public Task<HealthReport> WaitHealthyAsync(IDeploymentBackend backend, IReadOnlyList<string> services, TimeSpan timeout, TimeProvider clock,
        Action<string> progress, CancellationToken cancellationToken) =>
        HealthWait.WaitAsync(backend, services, timeout, progress, cancellationToken, clock, pollInterval, Settle);

    /// <summary>How long a container without a health check must have stayed up to be ready (see <see cref="IContainerStartTimes"/>).</summary>
    public TimeSpan Settle { get; init; } = HealthWait.DefaultSettle;

    /// <summary>The spec's HTTP/TCP checks, within what is left of the timeout.</summary>
    internal Task<VerifyReport> CheckAsync(DeploymentSession session, IDeploymentBackend backend, TimeSpan budget, TimeProvider clock,
        Action<string> progress, CancellationToken cancellationToken) =>
        new VerifyRunner(probe, clock) { Secrets = session.SecretValues }.RunAsync(session.Spec.Verify, backend, progress, cancellationToken, budget);

    /// <summary>Some of the spec's checks against the addresses <paramref name="address"/> gives (a start-first candidate's own ports).</summary>
    internal Task<VerifyReport> CheckAsync(DeploymentSession session, IReadOnlyList<Core.Verification.VerifyCheck> checks,
        Func<Core.Verification.VerifyCheck, CancellationToken, Task<string>> address, TimeSpan budget, TimeProvider clock, Action<string> progress,
        CancellationToken cancellationToken) =>
        new VerifyRunner(probe, clock) { Secrets = session.SecretValues }.RunAsync(checks, address, progress, cancellationToken, budget);
}
