using System.CommandLine;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Operations;

namespace Slipway.Cli.Commands.Deployment;

internal static class LogsCommand
{
    public static Command Create(CliContext cli)
    {
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep streaming new lines" };
        var tail = new Option<int?>("--tail", "-n") { Description = "Only the last N lines of each service" };
        var services = new Argument<string[]>("services") { Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("logs", "Show the services' logs") { follow, tail, services };
        command.SetAction((parse, ct) => cli.DeploymentAsync(parse, (env, dir) =>
            new Logs(env).RunAsync(dir, new LogsOptions(parse.GetValue(follow), parse.GetValue(tail), parse.GetValue(services) ?? []), ct)));
        return command;
    }
}
