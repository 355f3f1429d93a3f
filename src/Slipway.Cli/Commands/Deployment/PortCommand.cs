using System.CommandLine;
using Slipway.Infrastructure.Operations;

namespace Slipway.Cli.Commands.Deployment;

internal static class PortCommand
{
    public static Command Create(CliContext cli)
    {
        var service = new Argument<string>("service");
        var port = new Argument<string>("port") { Description = "The container port, e.g. 80 or 53/udp" };
        var command = new Command("port", "Print the host address (HOST:PORT) a service's port is published on") { service, port };
        command.SetAction((parse, ct) => cli.DeploymentAsync(parse, async (env, dir) =>
        {
            cli.Ui.Result(await new Port(env).RunAsync(dir, parse.GetValue(service)!, parse.GetValue(port)!, ct));
            return ExitCodes.Success;
        }));
        return command;
    }
}
