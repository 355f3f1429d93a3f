using System.CommandLine;
using Slipway.Infrastructure.Fleet;

namespace Slipway.Cli.Commands.Fleet;

internal static class FleetOnboardCommand
{
    public static Command Create(CliContext cli, FleetOptions o)
    {
        var host = new Argument<string>("host") { Description = "A host of the inventory" };
        var apply = new Option<bool>("--apply") { Description = "Do the safe fixes: clone the operator repository, create the deployment directories' parents" };
        var command = new Command("onboard", "Check what a new host lacks (Docker, Compose v2, git, Slipway, the repository clone), with the command that fixes each") { host, apply };
        command.SetAction((parse, ct) => cli.GuardAsync(parse, async env =>
        {
            await using var orchestrator = new FleetOrchestrator(env);
            var checks = await orchestrator.OnboardAsync(orchestrator.LoadInventory(parse.GetValue(o.Inventory)!), parse.GetValue(host)!, parse.GetValue(apply), ct);
            cli.Ui.Table(["CHECK", "STATUS", "DETAIL"], checks.Select(c => (IReadOnlyList<string>)[c.Check.Name, c.Check.Status, c.Check.Detail]));
            var missing = checks.Where(c => c.Check.Failed).ToList();
            foreach (var (check, fix, _) in missing.Where(c => c.Fix is not null))
            {
                cli.Ui.Info($"fix {check.Name}: {fix}");
            }

            if (missing.Count == 0)
            {
                cli.Ui.Info($"{parse.GetValue(host)} is ready for fleet deploy");
                return ExitCodes.Success;
            }

            return ExitCodes.PrerequisiteMissing;
        }));
        return command;
    }
}
