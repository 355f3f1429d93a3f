using Slipway.Core.Diagnostics;

namespace Slipway.Infrastructure.Operations;

/// <summary><c>deployment --dir D run-job NAME</c>: one of the stack's jobs to completion, logged; a failed job is a failed command.</summary>
public sealed class RunJob(SlipwayEnvironment env)
{
    public async Task RunAsync(string directory, string job, CancellationToken cancellationToken)
    {
        var session = env.OpenDeployment(directory);
        env.Reporter.Info($"Running job: {job}");
        await CommandLogs.RunAsync(env, session, "run-job", async runner =>
        {
            var exit = await env.Backend(session, runner).RunJobAsync(job, cancellationToken);
            return exit == 0 ? exit : throw new SlipwayException(FailureReason.DeploymentFailed, $"job '{job}' failed with exit code {exit}");
        });
    }
}
