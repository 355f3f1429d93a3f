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
        var deploy = new Command("deploy", "Write a spec for a stack, and create deployment directories from specs") { deployTo };
        deploy.Aliases.Add("deploy-system");
        deploy.Subcommands.Add(InitCommand.Create(cli, deployTo));
        deploy.Subcommands.Add(CreateCommand.Create(cli, deployTo));
        return deploy;
    }
}
