using Slipway.Core.Specs;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Pipeline;

namespace Slipway.Infrastructure.Operations;

public sealed record StopRequest
{
    public bool DeleteVolumes { get; init; }

    public bool DeleteNamespace { get; init; }

    public bool PerformClusterManagement { get; init; }

    /// <summary>compose: seconds each container gets to stop (laconic-so's <c>stop [timeout]</c>); other targets warn that they ignore it.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>Replace a stale lock (its process gone) instead of refusing.</summary>
    public bool BreakLock { get; init; }
}

/// <summary>
/// <c>deployment --dir D stop</c>: under D's lock (a stop during a run is refused), the backend takes the deployment
/// down; volumes stay unless --delete-volumes, which lists what went. An interrupted run is abandoned: a later
/// <c>resume</c> must not bring back what the operator stopped.
/// </summary>
public sealed class Stop(SlipwayEnvironment env)
{
    public async Task<StopOutcome> RunAsync(string directory, StopRequest request, CancellationToken cancellationToken)
    {
        var session = env.OpenDeployment(directory);
        var id = session.Identity.DeploymentId;
        using var held = DeploymentLock.ForCommand(session.Layout, "stop", request.BreakLock, env.Clock);
        if (held.Replaced is { } stale) env.Reporter.Warn($"broke the stale lock of {stale}");
        var runs = new RunStore(session.Layout);
        if (runs.Latest() is { State: RunState.Running } dead) await DeadRunChildren.SettleAsync(dead, env.Reporter, DeadRunChildren.DefaultWait, cancellationToken, session.Layout.Directory);
        if (runs.AbandonInterrupted("stop", env.Clock.GetUtcNow()) is { } interrupted)
        {
            env.Reporter.Warn($"run {interrupted.Id} ({interrupted.Command}) was interrupted and is abandoned by this stop");
        }

        if (request.TimeoutSeconds is { } timeout && session.Target != DeployTarget.Compose)
        {
            env.Reporter.Warn($"stop's timeout ({timeout}s) applies to compose deployments only; {session.Target.ToName()} ignores it (laconic-so ignores it there too)");
        }

        return await CommandLogs.RunAsync(env, session, "stop", runner =>
            env.Reporter.StepAsync($"stop {id}", progress => env.Backend(session, runner).StopAsync(new StopOptions
            {
                DeleteVolumes = request.DeleteVolumes,
                DeleteNamespace = request.DeleteNamespace,
                PerformClusterManagement = request.PerformClusterManagement,
                TimeoutSeconds = request.TimeoutSeconds,
                Progress = progress,
            }, cancellationToken)));
    }
}
