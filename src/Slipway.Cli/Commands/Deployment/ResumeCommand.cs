using System.CommandLine;
using Slipway.Cli.Output;
using Slipway.Infrastructure.Operations;

namespace Slipway.Cli.Commands.Deployment;

internal static class ResumeCommand
{
    public static Command Create(CliContext cli)
    {
        var breakLock = SharedOptions.BreakLock();
        var output = SharedOptions.Output();
        var command = new Command("resume", "Finish an interrupted run (killed, Ctrl+C) from its first unfinished stage") { breakLock, output };
        command.SetAction((parse, ct) => cli.DeploymentAsync(parse, async (env, dir) =>
            RunOutput.Print(cli.Ui, await new Resume(env).RunAsync(dir, parse.GetValue(breakLock), ct), parse.IsJson(output))));
        return command;
    }
}
