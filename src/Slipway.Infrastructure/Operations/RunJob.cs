using Slipway.Core.Diagnostics;
using Slipway.Core.Rendering.Kubernetes;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Pipeline;

namespace Slipway.Infrastructure.Operations;

/// <summary><c>deployment --dir D run-job NAME</c>: one of the stack's jobs to completion under D's lock, logged; a failed job is a failed command.</summary>
public sealed class RunJob(SlipwayEnvironment env)
{
    public async Task RunAsync(string directory, string job, CancellationToken cancellationToken, string? helmRelease = null)
    {
        var session = env.OpenDeployment(directory);
        if (helmRelease is not null && !Directory.Exists(Path.Combine(session.Layout.Directory, HelmChart.Folder)))
        {
            throw new SlipwayException(FailureReason.InvalidInput, $"--helm-release needs a Helm chart, and {directory} has no {HelmChart.Folder}/",
                "write one with 'slipway deploy create --update --helm-chart --spec-file SPEC --deployment-dir D', or drop --helm-release");
        }

        using var held = DeploymentLock.ForCommand(session.Layout, "run-job", breakStale: false, env.Clock);
        env.Reporter.Info($"Running job: {job}");
        await CommandLogs.RunAsync(env, session, "run-job", async runner =>
        {
            var backend = env.Backend(session, runner);
            var exit = helmRelease is null
                ? await backend.RunJobAsync(job, cancellationToken)
                : backend is IHelmJobRunner helm
                    ? await helm.RunHelmJobAsync(job, helmRelease, cancellationToken)
                    : throw new SlipwayException(FailureReason.InvalidInput, "--helm-release needs a Kubernetes deployment", "drop --helm-release: this deployment's jobs run through its own backend");
            return exit == 0 ? exit : throw new SlipwayException(FailureReason.DeploymentFailed, $"job '{job}' failed with exit code {exit}");
        });
    }
}
