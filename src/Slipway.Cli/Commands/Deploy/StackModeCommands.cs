using System.CommandLine;
using Slipway.Cli.Output;
using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Operations;

namespace Slipway.Cli.Commands.Deploy;

/// <summary>The <c>deploy</c> group's flags for stack mode, given before the verb: <c>deploy --include web up</c>.</summary>
internal sealed class StackGroupOptions
{
    public Option<string?> Include { get; } = new("--include") { Description = "Stack mode: only these pods (comma-separated)" };

    public Option<string?> Exclude { get; } = new("--exclude") { Description = "Stack mode: all pods but these (comma-separated)" };

    public Option<string?> EnvFile { get; } = new("--env-file") { Description = "Stack mode: a dotenv file for compose's variable substitution" };

    public Option<string?> Cluster { get; } = new("--cluster") { Description = "Stack mode: the compose project name (default: laconic-so's, from the stack and the pod selection)" };

    public IEnumerable<Option> All => [Include, Exclude, EnvFile, Cluster];

    /// <summary>The group's --deploy-to: stack mode runs on compose only.</summary>
    public Option<string>? DeployTo { get; set; }

    /// <summary>init and create take their pods from the spec: the group flags there would be ignored, so they are refused.</summary>
    public string? MisplacedIn(ParseResult parse) =>
        All.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } given ? given.Name : null;

    public StackDeployRequest Request(CliContext cli, ParseResult parse) => DeployTo is not null && parse.GetValue(DeployTo) is { } target && target != "compose"
        ? throw new SlipwayException(FailureReason.Usage, $"stack mode runs the stack with docker compose; --deploy-to {target} needs a deployment directory",
            "slipway --stack S deploy init --deploy-to " + target + " --output spec.yml, then deploy create and deployment --dir D start")
        : new()
    {
        StackArgument = cli.StackValue(parse) ?? throw new SlipwayException(FailureReason.InvalidInput, "--stack is required for stack-mode deploy commands",
            "name the stack: slipway --stack STACK deploy up (or use 'slipway deployment --dir D ...' for a deployment directory)"),
        Include = parse.GetValue(Include),
        Exclude = parse.GetValue(Exclude),
        EnvFile = parse.GetValue(EnvFile),
        Cluster = parse.GetValue(Cluster),
        Debug = parse.GetValue(cli.Debug),
        DryRun = parse.GetValue(cli.DryRun),
    };
}

/// <summary>Stack mode: <c>slipway --stack S deploy up|down|ps|port|exec|logs</c> over the stack's compose files, no deployment directory.</summary>
internal static class StackModeCommands
{
    public static IEnumerable<Command> Create(CliContext cli, StackGroupOptions group) =>
        [Up(cli, group), Down(cli, group), Ps(cli, group), Port(cli, group), Exec(cli, group), Logs(cli, group)];

    private static Command Up(CliContext cli, StackGroupOptions group)
    {
        var services = new Argument<string[]>("services") { Arity = ArgumentArity.ZeroOrMore, Description = "Only these services (default: all of the selected pods)" };
        var command = new Command("up", "Stack mode: docker compose up -d over the stack's pods (no deployment directory, no verify)") { services };
        command.SetAction((parse, ct) => cli.GuardAsync(parse, async env =>
        {
            var info = await new StackDeploy(env).UpAsync(group.Request(cli, parse), parse.GetValue(services) ?? [], ct);
            cli.Ui.Info(parse.GetValue(cli.DryRun)
                ? $"Dry run: nothing was started (project {info.ProjectName})"
                : $"up: project {info.ProjectName} ({string.Join(", ", info.Pods.Select(p => p.Name))})");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Down(CliContext cli, StackGroupOptions group)
    {
        var deleteVolumes = new Option<bool>("--delete-volumes") { Description = "Also remove the project's Docker volumes" };
        var preserve = new Option<bool>("--preserve-volumes") { Description = "Keep volumes (the default)" };
        var timeout = new Argument<int?>("timeout") { Arity = ArgumentArity.ZeroOrOne, Description = "Seconds each container gets to stop" };
        var command = new Command("down", "Stack mode: docker compose down; volumes are kept unless --delete-volumes") { deleteVolumes, preserve, timeout };
        command.SetAction((parse, ct) => cli.GuardAsync(parse, async env =>
        {
            var delete = parse.GetValue(deleteVolumes);
            if (delete && parse.GetValue(preserve)) throw new SlipwayException(FailureReason.InvalidInput, "--delete-volumes and --preserve-volumes contradict each other");
            var info = await new StackDeploy(env).DownAsync(group.Request(cli, parse), delete, parse.GetValue(timeout), ct);
            cli.Ui.Info(parse.GetValue(cli.DryRun)
                ? $"Dry run: nothing was stopped (project {info.ProjectName})"
                : $"down: project {info.ProjectName}{(delete ? ", volumes removed" : ", volumes kept")}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Ps(CliContext cli, StackGroupOptions group)
    {
        var output = SharedOptions.Output();
        var command = new Command("ps", "Stack mode: the project's containers, their state and ports") { output };
        command.SetAction((parse, ct) => cli.GuardAsync(parse, async env =>
        {
            StatusOutput.Print(cli.Ui, await new StackDeploy(env).PsAsync(group.Request(cli, parse), ct), parse.IsJson(output));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Port(CliContext cli, StackGroupOptions group)
    {
        var service = new Argument<string>("service");
        var port = new Argument<string>("port") { Description = "The container port, e.g. 80 or 53/udp" };
        var command = new Command("port", "Stack mode: print the host address (HOST:PORT) a service's port is published on") { service, port };
        command.SetAction((parse, ct) => cli.GuardAsync(parse, async env =>
        {
            cli.Ui.Result(await new StackDeploy(env).PortAsync(group.Request(cli, parse), parse.GetValue(service)!, parse.GetValue(port)!, ct));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Exec(CliContext cli, StackGroupOptions group)
    {
        var service = new Argument<string>("service");
        var commandLine = new Argument<string[]>("command") { Arity = ArgumentArity.OneOrMore, CaptureRemainingTokens = true, Description = "The command (one quoted argument with spaces runs under sh -c)" };
        var command = new Command("exec", "Stack mode: run a command in a running service; exits with its exit code") { service, commandLine };
        command.SetAction((parse, ct) => cli.GuardAsync(parse, env =>
            new StackDeploy(env).ExecAsync(group.Request(cli, parse), parse.GetValue(service)!, parse.GetValue(commandLine)!, cli.Ui.HasTerminal, ct)));
        return command;
    }

    private static Command Logs(CliContext cli, StackGroupOptions group)
    {
        var args = new Deployment.LogsArguments("Keep streaming new lines");
        var command = new Command("logs", "Stack mode: the services' logs");
        args.AddTo(command);
        command.SetAction((parse, ct) => cli.GuardAsync(parse, env =>
            args.RunAsync(cli, parse, options => new StackDeploy(env).LogsAsync(group.Request(cli, parse), options, ct), ct)));
        return command;
    }
}
