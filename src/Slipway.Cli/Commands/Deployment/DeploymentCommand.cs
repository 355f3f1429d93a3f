using System.CommandLine;

namespace Slipway.Cli.Commands.Deployment;

/// <summary><c>slipway deployment --dir D ...</c>: operations on a created deployment directory.</summary>
internal static class DeploymentCommand
{
    public static Command Create(CliContext cli)
    {
        var deployment = new Command("deployment", "Start, stop and inspect a deployment directory") { cli.Dir };
        Command[] verbs =
        [
            StartCommand.Create(cli),
            StopCommand.Create(cli),
            RestartCommand.Create(cli),
            StatusCommand.Create(cli, "ps", "List the deployment's containers"),
            StatusCommand.Create(cli, "status", "Show each service's state and health"),
            LogsCommand.Create(cli),
            PortCommand.Create(cli),
            ExecCommand.Create(cli),
            RunJobCommand.Create(cli),
            UpdateEnvsCommand.Create(cli),
            PrepareCommand.Create(cli),
            PushImagesCommand.Create(cli),
            RollbackCommand.Create(cli),
            ResumeCommand.Create(cli),
            HistoryCommand.Create(cli),
            PlanCommand.Create(cli),
            VerifyCommand.Create(cli),
            DiagnoseCommand.Create(cli),
        ];
        foreach (var verb in verbs) deployment.Subcommands.Add(verb);
        return deployment;
    }
}
