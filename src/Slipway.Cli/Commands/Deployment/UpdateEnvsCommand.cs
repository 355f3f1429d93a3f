using System.CommandLine;
using Slipway.Infrastructure.Operations;

namespace Slipway.Cli.Commands.Deployment;

internal static class UpdateEnvsCommand
{
    public static Command Create(CliContext cli)
    {
        var wait = new Option<int>("--wait-timeout") { Description = "Seconds to wait for the restarted services to be healthy", DefaultValueFactory = _ => 300 };
        var command = new Command("update-envs", "Apply D's current config to the running deployment: only what consumes changed config restarts") { wait };
        command.SetAction((parse, ct) => cli.DeploymentAsync(parse, async (env, dir) =>
        {
            var result = await new UpdateEnvs(env).RunAsync(dir, TimeSpan.FromSeconds(parse.GetValue(wait)), ct);
            if (result.Changes.Count == 0)
            {
                cli.Ui.Info("config unchanged: nothing restarted");
                return ExitCodes.Success;
            }

            cli.Ui.Info("updated:");
            foreach (var change in result.Changes) cli.Ui.Detail($"{change.Action} {change.Kind} {change.Name}{(change.Detail is null ? "" : $" ({change.Detail})")}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
