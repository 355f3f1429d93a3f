using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Infrastructure.Backends;

namespace Slipway.Infrastructure.Operations;

/// <summary>
/// <c>deployment --dir D prepare</c>: on Kubernetes, the namespace, PersistentVolumes and claims, ConfigMaps and Secrets
/// of D, applied without a single pod (laconic-so's prepare always fails). Compose has nothing to make ahead.
/// </summary>
public sealed class Prepare(SlipwayEnvironment env)
{
    public async Task<IReadOnlyList<string>> RunAsync(string directory, bool performClusterManagement, CancellationToken cancellationToken)
    {
        var session = env.OpenDeployment(directory);
        return await CommandLogs.RunAsync(env, session, "prepare", runner =>
            env.Backend(session, runner) is IPreparableBackend backend
                ? backend.PrepareAsync(performClusterManagement, line => env.Reporter.Detail(line), cancellationToken)
                : throw new SlipwayException(FailureReason.InvalidInput,
                    $"prepare is for Kubernetes deployments; this one deploys to {session.Target.ToName()}, where start makes the volumes and networks with the containers",
                    "run 'slipway deployment --dir D start'"));
    }
}
