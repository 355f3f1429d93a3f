namespace Slipway.Infrastructure.Operations;

/// <summary><c>deployment --dir D resume</c>: finishes D's interrupted run from its first unfinished stage.</summary>
public sealed class Resume(SlipwayEnvironment env)
{
    public Task<RunResult> RunAsync(string directory, bool breakLock, CancellationToken cancellationToken) =>
        Runs.DriveAsync(env, directory, (engine, session) => engine.ResumeAsync(session, breakLock, cancellationToken));
}
