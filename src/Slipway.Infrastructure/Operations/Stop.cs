using Slipway.Infrastructure.Backends;

namespace Slipway.Infrastructure.Operations;

public sealed record StopRequest
{
    public bool DeleteVolumes { get; init; }

    public bool DeleteNamespace { get; init; }

    public bool PerformClusterManagement { get; init; }
}

/// <summary><c>deployment --dir D stop</c>: the backend takes the deployment down; volumes stay unless --delete-volumes, which lists what went.</summary>
public sealed class Stop(SlipwayEnvironment env)
{
    public Task<StopOutcome> RunAsync(string directory, StopRequest request, CancellationToken cancellationToken)
    {
        var session = env.OpenDeployment(directory);
        var id = session.Identity.DeploymentId;
        return CommandLogs.RunAsync(env, session, "stop", runner =>
            env.Reporter.StepAsync($"stop {id}", progress => env.Backend(session, runner).StopAsync(new StopOptions
            {
                DeleteVolumes = request.DeleteVolumes,
                DeleteNamespace = request.DeleteNamespace,
                PerformClusterManagement = request.PerformClusterManagement,
                Progress = progress,
            }, cancellationToken)));
    }
}
