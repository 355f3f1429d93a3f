using System.CommandLine;
using Slipway.Infrastructure.Operations;

namespace Slipway.Cli.Commands.Deployment;

internal static class RunJobCommand
{
    public static Command Create(CliContext cli)
    {
        var job = new Argument<string>("job");
        var release = new Option<string?>("--helm-release") { Description = "Run the job as helm renders it from D/chart for this release (Kubernetes)" };
        var command = new Command("run-job", "Run one of the stack's jobs to completion") { job, release };
        command.SetAction((parse, ct) => cli.DeploymentAsync(parse, async (env, dir) =>
        {
            await new RunJob(env).RunAsync(dir, parse.GetValue(job)!, ct, parse.GetValue(release));
            return ExitCodes.Success;
        }));
        return command;
    }
}
