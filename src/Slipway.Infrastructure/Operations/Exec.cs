namespace Slipway.Infrastructure.Operations;

/// <summary>
/// <c>deployment --dir D exec SERVICE CMD...</c>: a command in a running service, logged; the exit code is the command's.
/// One quoted argument with spaces runs under <c>sh -c</c>, as in stack mode and laconic-so.
/// </summary>
public sealed class Exec(SlipwayEnvironment env)
{
    public Task<int> RunAsync(string directory, string service, IReadOnlyList<string> command, bool interactive, CancellationToken cancellationToken)
    {
        var session = env.OpenDeployment(directory);
        session.RequireServices([service]);
        return CommandLogs.RunAsync(env, session, "exec", runner => env.Backend(session, runner).ExecAsync(service, ExecCommandLine.Argv(command), interactive, cancellationToken));
    }
}
