using Slipway.Infrastructure.Backends;

namespace Slipway.Infrastructure.Operations;

/// <summary><c>deployment --dir D logs</c>: the services' logs on the console; the exit code is the tool's.</summary>
public sealed class Logs(SlipwayEnvironment env)
{
    public Task<int> RunAsync(string directory, LogsOptions options, CancellationToken cancellationToken)
    {
        var session = env.OpenDeployment(directory);
        session.RequireServices(options.Services);
        return env.Backend(session).LogsAsync(options, cancellationToken);
    }
}
