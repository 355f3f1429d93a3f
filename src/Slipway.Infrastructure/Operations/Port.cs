namespace Slipway.Infrastructure.Operations;

/// <summary><c>deployment --dir D port SERVICE PORT</c>: the host address a container port is published on.</summary>
public sealed class Port(SlipwayEnvironment env)
{
    public Task<string> RunAsync(string directory, string service, string port, CancellationToken cancellationToken)
    {
        var session = env.OpenDeployment(directory);
        session.RequireServices([service]);
        return env.Backend(session).PortAsync(service, port, cancellationToken);
    }
}
