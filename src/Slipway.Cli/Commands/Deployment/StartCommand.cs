using System.CommandLine;
using Slipway.Cli.Output;
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
        var command = new Command("start", "Run prepare, build, push, apply, verify, record; roll back to the last good revision if unhealthy")
        {
            services, cluster.Perform, cluster.Skip, timeout, breakLock, unpin, output, forceConflicts,
        };
        command.Aliases.Add("up");
        command.SetAction((parse, ct) => cli.DeploymentAsync(parse, async (env, dir) =>
        {
            var result = await new Start(env).RunAsync(dir, new RunRequest(RunRequest.Start)
            {
                Services = parse.GetValue(services) ?? [],
                WaitTimeout = parse.Seconds(timeout),
                PerformClusterManagement = cluster.IsOn(parse),
                BreakLock = parse.GetValue(breakLock),
                ForceConflicts = parse.GetValue(forceConflicts),
                Unpin = parse.GetValue(unpin),
            }, ct);
            return RunOutput.Print(cli.Ui, result, parse.IsJson(output));
        }));
        return command;
    }
}
