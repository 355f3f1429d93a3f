using System.CommandLine;
using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Operations;

namespace Slipway.Cli.Commands.Deployment;

internal static class StopCommand
{
    public static Command Create(CliContext cli)
    {
        var deleteVolumes = new Option<bool>("--delete-volumes") { Description = "Also remove the deployment's Docker volumes (host-path data is kept and listed)" };
        var preserve = new Option<bool>("--preserve-volumes") { Description = "Keep volumes (the default)" };
        var cluster = new ClusterManagement("Also delete the kind cluster (k8s-kind)");
        var deleteNamespace = new Option<bool>("--delete-namespace") { Description = "Also delete the namespace (k8s)" };
        var breakLock = SharedOptions.BreakLock();
        var timeout = new Argument<int?>("timeout") { Arity = ArgumentArity.ZeroOrOne, Description = "Seconds each container gets to stop (compose; laconic-so's stop [timeout])" };
        var command = new Command("stop", "Stop the deployment; volumes are kept unless --delete-volumes; refused while a run holds the lock")
        {
            timeout, deleteVolumes, preserve, cluster.Perform, cluster.Skip, deleteNamespace, breakLock,
        };
        command.Aliases.Add("down");
        command.SetAction((parse, ct) => cli.DeploymentAsync(parse, async (env, dir) =>
        {
            var delete = parse.GetValue(deleteVolumes);
            if (delete && parse.GetValue(preserve))
            {
                throw new SlipwayException(FailureReason.InvalidInput, "--delete-volumes and --preserve-volumes contradict each other");
            }

            var outcome = await new Stop(env).RunAsync(dir, new StopRequest
            {
                DeleteVolumes = delete,
                DeleteNamespace = parse.GetValue(deleteNamespace),
                PerformClusterManagement = cluster.IsOn(parse),
                BreakLock = parse.GetValue(breakLock),
                TimeoutSeconds = parse.GetValue(timeout),
            }, ct);
            if (delete)
            {
                cli.Ui.Info(outcome.RemovedVolumes.Count == 0 ? $"no {outcome.VolumeKind} to remove" : $"removed {outcome.VolumeKind}: " + string.Join(", ", outcome.RemovedVolumes));
                foreach (var path in outcome.KeptHostPaths) cli.Ui.Info($"kept host-path data: {path} (delete it yourself if you mean to)");
            }
            else
            {
                cli.Ui.Info(outcome.KeptNote);
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
