using Slipway.Core.Specs;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Backends;

/// <summary>Makes the backend of one kind of target; the composition root lists one factory per backend folder.</summary>
public interface IBackendFactory
{
    bool Serves(DeployTarget target);

    /// <summary>The backend of an opened deployment; every child command goes through <paramref name="runner"/>.</summary>
    IDeploymentBackend Create(DeploymentSession session, IProcessRunner runner);

    /// <summary>
    /// deploy create: the cluster-id a new deployment gets. <paramref name="fresh"/> unless the target has a shared
    /// cluster to join (kind), with an optional warning for the operator.
    /// </summary>
    Task<(string ClusterId, string? Warning)> ChooseClusterIdAsync(Spec spec, string fresh, string workingDirectory, IProcessRunner runner, CancellationToken cancellationToken);
}
