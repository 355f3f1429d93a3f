using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Pipeline;

namespace Slipway.Infrastructure.Operations;

/// <summary>What update-envs changed: the changes the plan saw (nothing applied when it saw none).</summary>
public sealed record UpdateEnvsResult(IReadOnlyList<PlannedChange> Changes);

/// <summary>
/// <c>deployment --dir D update-envs</c>: brings D's current config (config.env, the config files, ConfigMaps and Secret
/// that <c>deploy create --update</c> rendered) to the running deployment with the images of the last good revision,
/// so only what consumes changed config restarts: compose recreates the services whose resolved configuration or
/// config-hash label changed, Kubernetes rolls the pods whose config-hash annotation changed. laconic-so restarted every
/// container on compose and patched env from the first container on Kubernetes.
/// </summary>
public sealed class UpdateEnvs(SlipwayEnvironment env)
{
    public async Task<UpdateEnvsResult> RunAsync(string directory, TimeSpan waitTimeout, CancellationToken cancellationToken)
    {
        var session = env.OpenDeployment(directory);
        var pins = new RevisionStore(session.Layout).LastGood()?.ImagePins ?? new Dictionary<string, string>();
        return await CommandLogs.RunAsync(env, session, "update-envs", async runner =>
        {
            var backend = env.Backend(session, runner);
            if ((await backend.StatusAsync(cancellationToken)).Count == 0)
            {
                throw new SlipwayException(FailureReason.NotFound, $"{directory} is not running: update-envs changes a running deployment",
                    "start it: slipway deployment --dir D start (it takes the current config)");
            }

            var changes = (await backend.PlanAsync(new ApplyOptions { ImagePins = pins }, cancellationToken))
                .Where(c => c.Action != "unchanged").ToList();
            if (changes.Count == 0) return new UpdateEnvsResult(changes);
            await backend.ApplyAsync(new ApplyOptions
            {
                ImagePins = pins,
                Wait = true,
                WaitTimeout = waitTimeout,
                Progress = line => env.Reporter.Detail(line),
            }, cancellationToken);
            return new UpdateEnvsResult(changes);
        });
    }
}
