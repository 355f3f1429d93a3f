using System.CommandLine;
using Slipway.Cli.Output;
using Slipway.Infrastructure.Operations;
using Slipway.Infrastructure.Pipeline;

namespace Slipway.Cli.Commands.Deployment;

internal static class RollbackCommand
{
    public static Command Create(CliContext cli)
    {
        var to = new Option<int?>("--to-revision") { Description = "The revision to put back (default: the good revision before the current one)" };
        var allowFailed = new Option<bool>("--allow-failed") { Description = "Roll back to a revision recorded as failed (refused without it)" };
        var timeout = SharedOptions.RolloutTimeout();
        var breakLock = SharedOptions.BreakLock();
        var output = SharedOptions.Output();
        var command = new Command("rollback", "Re-apply a recorded revision's files and images, and verify it (volumes are never rolled back)") { to, allowFailed, timeout, breakLock, output };
        command.SetAction((parse, ct) => cli.DeploymentAsync(parse, async (env, dir) =>
        {
            var result = await new Rollback(env).RunAsync(dir, new RunRequest(RunRequest.Rollback)
            {
                ToRevision = parse.GetValue(to),
                AllowFailed = parse.GetValue(allowFailed),
                WaitTimeout = parse.Seconds(timeout),
                BreakLock = parse.GetValue(breakLock),
            }, ct);
            return RunOutput.Print(cli.Ui, result, parse.IsJson(output));
        }));
        return command;
    }
}
