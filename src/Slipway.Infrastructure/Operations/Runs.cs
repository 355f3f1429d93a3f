using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Pipeline;

namespace Slipway.Infrastructure.Operations;

/// <summary>What start, restart, rollback and resume share: D opened once, the pipeline driven over it, the final state read.</summary>
internal static class Runs
{
    public static async Task<RunResult> DriveAsync(SlipwayEnvironment env, string directory, Func<PipelineEngine, DeploymentSession, Task<RunOutcome>> run)
    {
        var session = env.OpenDeployment(directory);
        var outcome = await run(env.Pipeline(), session);
        return new RunResult(outcome, outcome.Succeeded ? outcome.FinalServices ?? [] : []);
    }
}
