using Slipway.Core.Specs;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Backends.Swarm;

internal sealed class SwarmBackendFactory(ToolPaths tools) : IBackendFactory
{
    public bool Serves(DeployTarget target) => target == DeployTarget.Swarm;

    public IDeploymentBackend Create(DeploymentSession session, IProcessRunner runner) => new SwarmBackend(session, tools.With(runner).Docker);

    /// <summary>A stack has no cluster of its own to share: its cluster-id is its own.</summary>
    public Task<(string ClusterId, string? Warning)> ChooseClusterIdAsync(Spec spec, string fresh, string workingDirectory, IProcessRunner runner, CancellationToken cancellationToken) =>
        Task.FromResult<(string, string?)>((fresh, null));
}
