using System.CommandLine;
using Slipway.Cli.Output;
using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Fleet;

namespace Slipway.Cli.Commands.Fleet;

/// <summary><c>slipway fleet ...</c>: deployments across the hosts of an inventory, over SSH.</summary>
internal static class FleetCommand
{
    public static Command Create(CliContext cli)
    {
        var o = new FleetOptions();
        var fleet = new Command("fleet", "Deploy across the hosts of a fleet inventory over SSH (each host runs its own staged, verified run)") { o.Inventory };
        fleet.Subcommands.Add(Plan(cli, o));
        fleet.Subcommands.Add(Run(cli, o, "deploy", "Prepare every target host, show the plan, ask, then roll out host by host; the first failure stops the rollout",
            (orchestrator, inventory, request, ct) => orchestrator.DeployAsync(inventory, request, ct)));
        fleet.Subcommands.Add(Run(cli, o, "resume", "Continue the last fleet deploy from the first host that did not finish",
            (orchestrator, inventory, request, ct) => orchestrator.ResumeAsync(inventory, request, ct)));
        fleet.Subcommands.Add(Run(cli, o, "rollback", "Put each deployment the last fleet deploy moved forward back to its previous good revision",
            (orchestrator, inventory, request, ct) => orchestrator.RollbackAsync(inventory, request, ct)));
        fleet.Subcommands.Add(Status(cli, o));
        fleet.Subcommands.Add(Diagnose(cli, o));
        fleet.Subcommands.Add(FleetOnboardCommand.Create(cli, o));
        fleet.Subcommands.Add(FleetHostCheckCommand.Create(cli));
        return fleet;
    }

    private static Command Plan(CliContext cli, FleetOptions o)
    {
        var output = SharedOptions.Output();
        var command = new Command("plan", "Per host and deployment: prepare's checks and what restart would change there (changes nothing)") { o.Host(), o.Deployment(), output };
        command.SetAction((parse, ct) => cli.GuardAsync(parse, async env =>
        {
            await using var orchestrator = new FleetOrchestrator(env);
            var (run, plans) = await orchestrator.PlanAsync(orchestrator.LoadInventory(parse.GetValue(o.Inventory)!), o.Request(parse), ct);
            if (parse.IsJson(output)) FleetOutput.Json(cli.Ui, run, plans);
            else FleetOutput.Plan(cli.Ui, run, plans);
            return run.Hosts.Any(h => h.State != "ready") ? ExitCodes.PrerequisiteMissing : ExitCodes.Success;
        }));
        return command;
    }

    private static Command Run(CliContext cli, FleetOptions o, string name, string description,
        Func<FleetOrchestrator, Core.Fleet.Inventory, FleetRequest, CancellationToken, Task<FleetRun>> action)
    {
        var output = SharedOptions.Output();
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation (needed when not on a terminal)" };
        var parallel = new Option<int>("--parallel") { Description = "Roll out this many hosts at once (default 1: host by host)", DefaultValueFactory = _ => 1 };
        var skip = new Option<bool>("--skip-unreachable") { Description = "Leave hosts that cannot be reached at prepare out instead of refusing the whole rollout" };
        var command = new Command(name, description) { o.Host(), o.Deployment(), parallel, skip, yes, output };
        command.SetAction((parse, ct) => cli.GuardAsync(parse, async env =>
        {
            if (parse.GetValue(parallel) < 1)
            {
                cli.Ui.Fail("--parallel must be 1 or more");
                return ExitCodes.UsageError;
            }

            var ask = !parse.GetValue(yes);
            if (ask && !FleetOutput.CanAsk(cli.Ui))
            {
                cli.Ui.Fail($"fleet {name} asks for confirmation before it changes any host, and this is not a terminal: pass --yes");
                return ExitCodes.UsageError;
            }

            await using var orchestrator = new FleetOrchestrator(env);
            var inventory = orchestrator.LoadInventory(parse.GetValue(o.Inventory)!);
            var view = new FleetOutput(cli.Ui, json: parse.IsJson(output));
            var run = await action(orchestrator, inventory, o.Request(parse) with
            {
                Parallel = parse.GetValue(parallel),
                SkipUnreachable = parse.GetValue(skip),
                Plans = ask,
                Confirm = (run, plans) => view.Confirm(run, plans, ask, name),
                Changed = view.Changed,
            }, ct);
            return view.Finish(run, orchestrator.Store(inventory).Directory);
        }));
        return command;
    }

    private static Command Status(CliContext cli, FleetOptions o)
    {
        var output = SharedOptions.Output();
        var id = new Option<string?>("--run") { Description = "A fleet run id (default: the newest)" };
        var command = new Command("status", "Show the last fleet run (or --run ID): each host's deployments, run ids and results") { id, output };
        command.SetAction((parse, ct) => cli.GuardAsync(parse, env =>
        {
            var orchestrator = new FleetOrchestrator(env);
            var store = orchestrator.Store(orchestrator.LoadInventory(parse.GetValue(o.Inventory)!));
            var run = parse.GetValue(id) is { } runId ? store.Load(runId) : store.Latest()
                ?? throw new SlipwayException(FailureReason.NotFound, "no fleet run recorded yet", "run fleet deploy");
            if (parse.IsJson(output)) FleetOutput.Json(cli.Ui, run, null);
            else FleetOutput.Summary(cli.Ui, run);
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    private static Command Diagnose(CliContext cli, FleetOptions o)
    {
        var command = new Command("diagnose", "Gather each host's diagnosis (deployment diagnose) for the hosts of the last fleet run (or --host)") { o.Host(), o.Deployment() };
        command.SetAction((parse, ct) => cli.GuardAsync(parse, async env =>
        {
            await using var orchestrator = new FleetOrchestrator(env);
            var results = await orchestrator.DiagnoseAsync(orchestrator.LoadInventory(parse.GetValue(o.Inventory)!), o.Request(parse), ct);
            foreach (var (host, deployment, exit, text) in results)
            {
                cli.Ui.Result($"=== {host} {deployment} (exit {exit})");
                cli.Ui.Result(text.TrimEnd());
            }

            return results.Any(r => r.ExitCode == FleetHostClient.SshFailed) ? ExitCodes.PrerequisiteMissing : ExitCodes.Success;
        }));
        return command;
    }
}

/// <summary>The options the fleet verbs share (instances per CLI).</summary>
internal sealed class FleetOptions
{
    private readonly List<Option<string[]>> _hosts = [];
    private readonly List<Option<string[]>> _deployments = [];

    public Option<string> Inventory { get; } = new("--inventory", "-i")
    {
        Description = "The fleet inventory in the operator repository",
        DefaultValueFactory = _ => "fleet.yml",
        Recursive = true,
    };

    public Option<string[]> Host()
    {
        var option = new Option<string[]>("--host") { Description = "Only these hosts (repeat or comma-separate)", CustomParser = Split };
        _hosts.Add(option);
        return option;
    }

    public Option<string[]> Deployment()
    {
        var option = new Option<string[]>("--deployment") { Description = "Only these deployments (repeat or comma-separate)", CustomParser = Split };
        _deployments.Add(option);
        return option;
    }

    public FleetRequest Request(ParseResult parse) => new()
    {
        Hosts = _hosts.SelectMany(o => parse.GetResult(o) is null ? [] : parse.GetValue(o) ?? []).ToList(),
        Deployments = _deployments.SelectMany(o => parse.GetResult(o) is null ? [] : parse.GetValue(o) ?? []).ToList(),
    };

    private static string[] Split(System.CommandLine.Parsing.ArgumentResult result) =>
        result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
}
