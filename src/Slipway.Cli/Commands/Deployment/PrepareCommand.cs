using System.CommandLine;
using Slipway.Infrastructure.Operations;

namespace Slipway.Cli.Commands.Deployment;

internal static class PrepareCommand
{
    public static Command Create(CliContext cli)
    {
        var cluster = new ClusterManagement("Create the kind cluster when it does not run (k8s-kind)");
        var command = new Command("prepare", "Kubernetes: make the namespace, volumes, ConfigMaps and Secrets, and start no pod") { cluster.Perform, cluster.Skip };
        command.SetAction((parse, ct) => cli.DeploymentAsync(parse, async (env, dir) =>
        {
            var applied = await new Prepare(env).RunAsync(dir, cluster.IsOn(parse), ct);
            cli.Ui.Info($"prepared {applied.Count} objects, no pods:");
            foreach (var name in applied) cli.Ui.Detail(name);
            return ExitCodes.Success;
        }));
        return command;
    }
}
