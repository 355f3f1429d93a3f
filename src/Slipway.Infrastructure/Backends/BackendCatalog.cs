using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Backends;

/// <summary>Every backend Slipway has, found by the target a spec names: the only place a target picks its backend.</summary>
public sealed class BackendCatalog(IReadOnlyList<IBackendFactory> factories)
{
    public IBackendFactory For(DeployTarget target) =>
        factories.FirstOrDefault(f => f.Serves(target))
        ?? throw new SlipwayException(FailureReason.InvalidInput, $"no backend deploys to '{target.ToName()}'");

    public IDeploymentBackend Create(DeploymentSession session, IProcessRunner runner) => For(session.Target).Create(session, runner);
}
