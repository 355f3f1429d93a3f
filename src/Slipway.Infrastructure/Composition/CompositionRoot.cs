using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Backends.Compose;
using Slipway.Infrastructure.Backends.Kubernetes;
using Slipway.Infrastructure.GitOps;
using Slipway.Infrastructure.Operations;
using Slipway.Infrastructure.Pipeline;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Reporting;
using Slipway.Infrastructure.Tracing;
using Slipway.Infrastructure.Verification;

namespace Slipway.Infrastructure.Composition;

/// <summary>Builds, once per command, everything an operation uses: runner, tools, backends and the pipeline's stages.</summary>
public static class CompositionRoot
{
    public static SlipwayEnvironment Build(HostSettings host, IReporter reporter, IProcessRunner runner, IProbe? probe = null, RunTrace? trace = null)
    {
        var backends = new BackendCatalog(
        [
            new EngineBackendFactory(Core.Specs.DeployTarget.Compose, host.Tools, (session, docker) => new ComposeBackend(session, docker, host.ScriptDebug)),
            new EngineBackendFactory(Core.Specs.DeployTarget.Swarm, host.Tools, (session, docker) => new Backends.Swarm.SwarmBackend(session, docker)),
            new KubernetesBackendFactory(host.Tools, new KubernetesBackendOptions { GetEnvironment = host.GetEnvironment, Warn = reporter.Warn, Clock = host.Clock, ScriptDebug = host.ScriptDebug }),
        ]);
        var environment = new SlipwayEnvironment
        {
            Runner = runner,
            Reporter = reporter,
            Clock = host.Clock,
            CurrentDirectory = host.CurrentDirectory,
            RepositoryBase = host.RepositoryBase,
            ShippedStackRoots = host.StackRoots(),
            LaconicDataRoots = host.LaconicData(),
            Tools = host.Tools,
            Ssh = host.Ssh,
            Backends = backends,
            GetEnvironment = host.GetEnvironment,
            SecretBytes = host.SecretBytes,
            HomeDirectory = host.HomeDirectory,
            InstallDirectory = host.InstallDirectory,
            NpmBuilderImage = host.NpmBuilderImage,
            Trace = trace,
        };
        var verifier = new DeploymentVerifier(probe ?? new NetworkProbe(), host.HealthPollInterval);
        return environment with
        {
            Verifier = verifier,
            Plans = StagePlans.Create(new StackImages(), new GitOpsSourceSync(environment), verifier),
        };
    }
}
