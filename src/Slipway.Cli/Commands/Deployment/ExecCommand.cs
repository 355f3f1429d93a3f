using System.CommandLine;
using Slipway.Infrastructure.Operations;

namespace Slipway.Cli.Commands.Deployment;

internal static class ExecCommand
{
    public static Command Create(CliContext cli)
    {
        var service = new Argument<string>("service");
        var commandLine = new Argument<string[]>("command") { Arity = ArgumentArity.OneOrMore, CaptureRemainingTokens = true, Description = "The command (one quoted argument with spaces runs under sh -c)" };
        var command = new Command("exec", "Run a command in a running service; exits with the command's exit code") { service, commandLine };
        command.SetAction((parse, ct) => cli.DeploymentAsync(parse, (env, dir) =>
            new Exec(env).RunAsync(dir, parse.GetValue(service)!, parse.GetValue(commandLine)!, cli.Ui.HasTerminal, ct)));
        return command;
    }
}
