using Slipway.Core.Specs;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Backends.Kubernetes;

internal sealed class KubernetesBackendFactory(ToolPaths tools, KubernetesBackendOptions options) : IBackendFactory
{
    public bool Serves(DeployTarget target) => target.IsKubernetes();

    public IDeploymentBackend Create(DeploymentSession session, IProcessRunner runner) => new KubernetesBackend(session, tools.With(runner), options);

    /// <summary>
    /// k8s-kind joins the kind cluster that already runs rather than ask for a second one (kind clusters are per
    /// machine), unless the spec names its cluster; k8s has no cluster of its own to name.
    /// </summary>
    public async Task<(string ClusterId, string? Warning)> ChooseClusterIdAsync(Spec spec, string fresh, string workingDirectory, IProcessRunner runner, CancellationToken cancellationToken)
    {
        if (spec.DeployTo != DeployTarget.K8sKind) return (fresh, null);
        if (spec.Kubernetes.KindClusterName is { } named) return (named.Value, null);
        return await KindCluster.InheritClusterIdAsync(tools.With(runner).Kind, fresh, workingDirectory, cancellationToken);
    }
}
