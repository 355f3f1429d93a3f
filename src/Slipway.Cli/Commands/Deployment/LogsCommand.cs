using System.CommandLine;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Operations;

namespace Slipway.Cli.Commands.Deployment;

internal static class LogsCommand
{
    public static Command Create(CliContext cli)
    {
        var args = new LogsArguments("Keep streaming new lines (until Ctrl+C or SIGTERM, which end it quietly)");
        var command = new Command("logs", "Show the services' logs");
        args.AddTo(command);
        command.SetAction((parse, ct) => cli.DeploymentAsync(parse, (env, dir) =>
            args.RunAsync(cli, parse, options => new Logs(env).RunAsync(dir, options, ct), ct)));
        return command;
    }
}

/// <summary>The options of both logs commands (deployment and stack mode), and how a logs run prints and ends.</summary>
internal sealed class LogsArguments(string followDescription)
{
    private readonly Option<bool> _follow = new("--follow", "-f") { Description = followDescription };
    private readonly Option<int?> _tail = new("--tail", "-n") { Description = "Only the last N lines of each service" };
    private readonly Argument<string[]> _services = new("services") { Arity = ArgumentArity.ZeroOrMore };

    public void AddTo(Command command)
    {
        command.Options.Add(_follow);
        command.Options.Add(_tail);
        command.Arguments.Add(_services);
    }

    /// <summary>Runs <paramref name="run"/>; piped output goes through Slipway (no terminal codes), and a followed
    /// log ended by the operator is the normal end, not an interruption.</summary>
    public async Task<int> RunAsync(CliContext cli, ParseResult parse, Func<LogsOptions, Task<int>> run, CancellationToken ct)
    {
        var options = new LogsOptions(parse.GetValue(_follow), parse.GetValue(_tail), parse.GetValue(_services) ?? []);
        return await RunAsync(cli, options, run, ct);
    }

    /// <summary>Follows the logs of <paramref name="services"/> from their start (start --stay-attached) until Ctrl+C.</summary>
    public static Task<int> FollowAsync(CliContext cli, IReadOnlyList<string> services, Func<LogsOptions, Task<int>> run, CancellationToken ct) =>
        RunAsync(cli, new LogsOptions(true, null, services), run, ct);

    private static async Task<int> RunAsync(CliContext cli, LogsOptions options, Func<LogsOptions, Task<int>> run, CancellationToken ct)
    {
        var ui = cli.Ui;
        var gate = new Lock();
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
            return await run(options);
        }
        catch (OperationCanceledException) when (options.Follow && ct.IsCancellationRequested)
        {
            return ExitCodes.Success;
        }
    }
}
