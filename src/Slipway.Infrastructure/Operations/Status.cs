using Slipway.Infrastructure.Backends;

namespace Slipway.Infrastructure.Operations;

/// <summary><c>deployment --dir D ps | status</c>: each container or pod of the deployment, its state, health and ports.</summary>
public sealed class Status(SlipwayEnvironment env)
{
    public Task<IReadOnlyList<ServiceState>> RunAsync(string directory, CancellationToken cancellationToken) =>
        env.Backend(env.OpenDeployment(directory)).StatusAsync(cancellationToken);
}
