using Slipway.Infrastructure.Pipeline;

namespace Slipway.Infrastructure.Operations;

/// <summary><c>deployment --dir D restart</c>: a run of the restart plan over D.</summary>
public sealed class Restart(SlipwayEnvironment env)
{
    public Task<RunResult> RunAsync(string directory, RunRequest request, CancellationToken cancellationToken) =>
        Runs.DriveAsync(env, directory, (engine, session) =>
        {
            // Against D as it is: a service that only the incoming commit adds is named by --image on a later restart.
            session.RequireImageServices(request.ServiceImages.Keys);
            DeploymentPin.Check(session.Layout, RunRequest.Restart, request.Unpin);
            return engine.RunAsync(session, request with { Command = RunRequest.Restart }, cancellationToken);
        });
}
