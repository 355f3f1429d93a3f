namespace Slipway.Infrastructure.Operations;

/// <summary><c>deployment --dir D port SERVICE PORT</c>: the host address a container port is published on.</summary>
public sealed class Port(SlipwayEnvironment env)
{
    public Task<string> RunAsync(string directory, string service, string port, CancellationToken cancellationToken) =>
        env.Backend(env.OpenDeployment(directory)).PortAsync(service, port, cancellationToken);
}
