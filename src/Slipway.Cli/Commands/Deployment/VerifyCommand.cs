using System.CommandLine;
using Slipway.Infrastructure.Operations;
using Slipway.Infrastructure.Pipeline;

namespace Slipway.Cli.Commands.Deployment;

internal static class VerifyCommand
{
    public static Command Create(CliContext cli)
    {
        var timeout = SharedOptions.WaitTimeout(60);
        var command = new Command("verify", "Check that every service runs and is healthy (and the spec's checks pass); changes nothing") { timeout };
        command.SetAction((parse, ct) => cli.DeploymentAsync(parse, async (env, dir) =>
        {
            var result = await new Verify(env).RunAsync(dir, parse.Seconds(timeout), ct);
            foreach (var line in result.Health.Lines) cli.Ui.Result(line);
            if (!result.Health.Healthy) throw HealthWait.Failure(result.Health, "the deployment is not healthy");
            foreach (var check in result.Checks!.Results) cli.Ui.Result(check.DescribeOneLine());
            result.Checks.ThrowIfFailed();
            return ExitCodes.Success;
        }));
        return command;
    }
}
