using System.CommandLine;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Operations;

namespace Slipway.Cli.Commands.Deployment;

internal static class LogsCommand
{
    public static Command Create(CliContext cli)
    {
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep streaming new lines (until Ctrl+C or SIGTERM, which end it quietly)" };
        var tail = new Option<int?>("--tail", "-n") { Description = "Only the last N lines of each service" };
        var services = new Argument<string[]>("services") { Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("logs", "Show the services' logs") { follow, tail, services };
        command.SetAction((parse, ct) => cli.DeploymentAsync(parse, async (env, dir) =>
        {
            var ui = cli.Ui;
            var gate = new Lock();
            var options = new LogsOptions(parse.GetValue(follow), parse.GetValue(tail), parse.GetValue(services) ?? []);
            if (!ui.OutputIsTerminal)
            {
                options = options with
                {
                    Output = line => { lock (gate) ui.Out.WriteLine(line); },
                    Error = line => { lock (gate) { if (!(ct.IsCancellationRequested && line.Trim() == "canceled")) ui.Error.WriteLine(line); } },
                };
            }

            try
            {
                return await new Logs(env).RunAsync(dir, options, ct);
            }
            catch (OperationCanceledException) when (options.Follow && ct.IsCancellationRequested)
            {
                // Following ends when the operator says so: that is the normal end, not an interruption.
                return ExitCodes.Success;
            }
        }));
        return command;
    }
}
