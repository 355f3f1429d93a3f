using Slipway.Infrastructure.Pipeline;

namespace Slipway.Infrastructure.Operations;

/// <summary><c>deployment --dir D start</c>: a run of the start plan over D.</summary>
public sealed class Start(SlipwayEnvironment env)
{
    public Task<RunResult> RunAsync(string directory, RunRequest request, CancellationToken cancellationToken) =>
        Runs.DriveAsync(env, directory, (engine, session) =>
        {
            session.RequireServices(request.Services);
            DeploymentPin.Check(session.Layout, RunRequest.Start, request.Unpin);
            return engine.RunAsync(session, request with { Command = RunRequest.Start }, cancellationToken);
        });
}
