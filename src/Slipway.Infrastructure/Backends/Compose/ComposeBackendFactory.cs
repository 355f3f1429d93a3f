using Slipway.Core.Specs;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Backends.Compose;

internal sealed class ComposeBackendFactory(ToolPaths tools) : IBackendFactory
{
    public bool Serves(DeployTarget target) => target == DeployTarget.Compose;

    public IDeploymentBackend Create(DeploymentSession session, IProcessRunner runner) => new ComposeBackend(session, tools.With(runner).Docker);

    /// <summary>A compose deployment has no cluster: its cluster-id is its own (it never takes a kind cluster's name).</summary>
    public Task<(string ClusterId, string? Warning)> ChooseClusterIdAsync(Spec spec, string fresh, string workingDirectory, IProcessRunner runner, CancellationToken cancellationToken) =>
        Task.FromResult<(string, string?)>((fresh, null));
}
