using Slipway.Infrastructure.Pipeline;

namespace Slipway.Infrastructure.Operations;

/// <summary><c>deployment --dir D rollback</c>: a run of the rollback plan over D.</summary>
public sealed class Rollback(SlipwayEnvironment env)
{
    public Task<RunResult> RunAsync(string directory, RunRequest request, CancellationToken cancellationToken) =>
        Runs.DriveAsync(env, directory, (engine, session) => engine.RunAsync(session, request with { Command = RunRequest.Rollback }, cancellationToken));
}
