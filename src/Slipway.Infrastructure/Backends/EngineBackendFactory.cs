using Slipway.Core.Specs;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Backends;

/// <summary>
/// The factory of a backend that drives one Docker Engine (compose; swarm, through its manager): the backend gets the
/// session and the docker tool on the command's runner. Such a deployment has no cluster to share, so its cluster-id is
/// its own (it never takes a kind cluster's name).
/// </summary>
internal sealed class EngineBackendFactory(DeployTarget target, ToolPaths tools, Func<DeploymentSession, Docker, IDeploymentBackend> create) : IBackendFactory
{
    public bool Serves(DeployTarget deployTo) => deployTo == target;

    public IDeploymentBackend Create(DeploymentSession session, IProcessRunner runner) => create(session, tools.With(runner).Docker);

    public Task<(string ClusterId, string? Warning)> ChooseClusterIdAsync(Spec spec, string fresh, string workingDirectory, IProcessRunner runner, CancellationToken cancellationToken) =>
        Task.FromResult<(string, string?)>((fresh, null));
}
