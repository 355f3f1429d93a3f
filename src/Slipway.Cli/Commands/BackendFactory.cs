using Slipway.Core.Specs;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Backends.Compose;
using Slipway.Infrastructure.Backends.Kubernetes;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Operations;
using Slipway.Infrastructure.Processes;

namespace Slipway.Cli.Commands;

/// <summary>Picks the backend a deployment directory's deploy-to names.</summary>
internal static class BackendFactory
{
    public static IDeploymentBackend Create(Deployment deployment, IProcessRunner runner, SlipwayEnvironment environment) =>
        deployment.Target.IsKubernetes()
            ? new KubernetesBackend(deployment, runner, new KubernetesBackendOptions
            {
                Kubectl = Environment.GetEnvironmentVariable("SLIPWAY_KUBECTL") ?? "kubectl",
                Kind = Environment.GetEnvironmentVariable("SLIPWAY_KIND") ?? "kind",
                Docker = environment.DockerExecutable,
                Warn = environment.Reporter.Warn,
                Clock = environment.Clock,
            })
            : new ComposeBackend(deployment, runner, environment.DockerExecutable);
}
