using System.CommandLine;
using Slipway.Core.Specs;

namespace Slipway.Cli.Commands.Deploy;

/// <summary><c>slipway --stack S deploy init | create</c>: from a stack to a spec, from a spec to a deployment directory.</summary>
internal static class DeployCommand
{
    public static Command Create(CliContext cli)
    {
        var deployTo = new Option<string>("--deploy-to")
        {
            Description = "Where the stack runs: compose, k8s or k8s-kind (deploy init writes it into the spec; create takes it from the spec)",
            DefaultValueFactory = _ => "compose",
            Recursive = true,
        };
        deployTo.AcceptOnlyFromAmong(DeployTargets.Names.ToArray());
        var group = new StackGroupOptions { DeployTo = deployTo };
        var deploy = new Command("deploy", "Write a spec for a stack, create deployment directories from specs, or run a stack directly (stack mode: up, down, ps, ...)") { deployTo };
        foreach (var option in group.All) deploy.Options.Add(option);
        deploy.Aliases.Add("deploy-system");
        var init = InitCommand.Create(cli, deployTo);
        var create = CreateCommand.Create(cli, deployTo);
        deploy.Subcommands.Add(init);
        deploy.Subcommands.Add(create);
        foreach (var command in StackModeCommands.Create(cli, group)) deploy.Subcommands.Add(command);
        deploy.Subcommands.Add(K8sCommand.Create(cli));
        deploy.Subcommands.Add(SetupCommand.Create(cli, group));
        // init and create take their pods from the stack and the spec: a stack-mode flag there would do nothing.
        foreach (var verb in new[] { init, create })
        {
            verb.Validators.Add(result =>
            {
                foreach (var option in group.All.Where(o => result.GetResult(o) is { Implicit: false }))
                {
                    result.AddError($"{option.Name} is a stack-mode flag (deploy {option.Name} X up|down|ps|port|exec|logs); 'deploy {verb.Name}' does not take it");
                }
            });
        }
        return deploy;
    }
}
