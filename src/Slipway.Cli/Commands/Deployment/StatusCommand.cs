using System.CommandLine;
using Slipway.Cli.Output;
using Slipway.Infrastructure.Operations;

namespace Slipway.Cli.Commands.Deployment;

internal static class StatusCommand
{
    public static Command Create(CliContext cli, string name, string description)
    {
        var output = SharedOptions.Output();
        var command = new Command(name, description) { output };
        command.SetAction((parse, ct) => cli.DeploymentAsync(parse, async (env, dir) =>
        {
            StatusOutput.Print(cli.Ui, await new Status(env).RunAsync(dir, ct), parse.IsJson(output));
            return ExitCodes.Success;
        }));
        return command;
    }
}
