using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Backends;

namespace Slipway.Infrastructure.Operations;

public sealed record StopRequest
{
    public bool DeleteVolumes { get; init; }

    public bool PreserveVolumes { get; init; }

    public bool DeleteNamespace { get; init; }

    public bool PerformClusterManagement { get; init; }
}

public sealed record StopResult(string DeploymentId, bool DeletedVolumes, StopOutcome Outcome);

/// <summary><c>deployment --dir D stop</c>: the backend takes the deployment down; volumes stay unless --delete-volumes, which lists what went.</summary>
public sealed class Stop(SlipwayEnvironment env)
{
    public async Task<StopResult> RunAsync(string directory, StopRequest request, CancellationToken cancellationToken)
    {
        if (request.DeleteVolumes && request.PreserveVolumes)
        {
            throw new SlipwayException(FailureReason.InvalidInput, "--delete-volumes and --preserve-volumes contradict each other");
        }

        var session = env.OpenDeployment(directory);
        var id = session.Identity.DeploymentId;
        var outcome = await CommandLogs.RunAsync(env, session, "stop", runner =>
            env.Reporter.StepAsync($"stop {id}", progress => env.Backend(session, runner).StopAsync(new StopOptions
            {
                DeleteVolumes = request.DeleteVolumes,
                DeleteNamespace = request.DeleteNamespace,
                PerformClusterManagement = request.PerformClusterManagement,
                Progress = progress,
            }, cancellationToken)));
        return new StopResult(id, request.DeleteVolumes, outcome);
    }
}
