using System.CommandLine;
using Slipway.Cli.Output;
using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Operations;
using Slipway.Infrastructure.Pipeline;

namespace Slipway.Cli.Commands.Deployment;

internal static class StartCommand
{
    public static Command Create(CliContext cli)
    {
        var services = new Argument<string[]>("services") { Arity = ArgumentArity.ZeroOrMore, Description = "Only these services (default: all)" };
        var cluster = new ClusterManagement("Create the kind cluster if needed (k8s-kind)");
        var timeout = SharedOptions.RolloutTimeout();
        var breakLock = SharedOptions.BreakLock();
        var unpin = new Option<bool>("--unpin") { Description = "Move on from the revision a rollback pinned (refused without it)" };
        var output = SharedOptions.Output();
        var forceConflicts = SharedOptions.ForceConflicts();
        var stayAttached = new Option<bool>("--stay-attached") { Description = "After a successful run, follow the services' logs until Ctrl+C (which stops following, not the deployment)" };
        var detach = new Option<bool>("--detatch-terminal") { Description = "Return when the run ends (the default; laconic-so's spelling)" };
        var command = new Command("start", "Run prepare, build, push, apply, verify, record; roll back to the last good revision if unhealthy (alias up: cluster management on by default, as laconic-so's up)")
        {
            services, cluster.Perform, cluster.Skip, timeout, breakLock, unpin, output, forceConflicts, stayAttached, detach,
        };
        command.Aliases.Add("up");
        command.SetAction((parse, ct) => cli.DeploymentAsync(parse, async (env, dir) =>
        {
            var attach = parse.GetValue(stayAttached);
            if (attach && (parse.GetValue(detach) || parse.IsJson(output)))
            {
                throw new SlipwayException(FailureReason.InvalidInput, $"--stay-attached cannot be combined with {(parse.GetValue(detach) ? "--detatch-terminal" : "--output json")}");
            }

            // laconic-so's legacy up creates the kind cluster unless told not to; start does not.
            var up = parse.CommandResult.IdentifierToken.Value == "up";
            var result = await new Start(env).RunAsync(dir, new RunRequest(RunRequest.Start)
            {
                Services = parse.GetValue(services) ?? [],
                WaitTimeout = parse.Seconds(timeout),
                PerformClusterManagement = up ? !parse.GetValue(cluster.Skip) : cluster.IsOn(parse),
                BreakLock = parse.GetValue(breakLock),
                ForceConflicts = parse.GetValue(forceConflicts),
                Unpin = parse.GetValue(unpin),
            }, ct);
            var code = RunOutput.Print(cli.Ui, result, parse.IsJson(output));
            if (!attach || code != ExitCodes.Success) return code;
            cli.Ui.Info("following the logs (--stay-attached); Ctrl+C stops following, the deployment keeps running");
            return await LogsArguments.FollowAsync(cli, parse.GetValue(services) ?? [], options => new Logs(env).RunAsync(dir, options, ct), ct);
        }));
        return command;
    }
}
