using System.CommandLine;
using Slipway.Cli.Output;
using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Operations;
using Slipway.Infrastructure.Pipeline;

namespace Slipway.Cli.Commands.Deployment;

internal static class RestartCommand
{
    public static Command Create(CliContext cli)
    {
        var timeout = SharedOptions.RolloutTimeout();
        var force = new Option<bool>("--force-recreate") { Description = "Recreate every container even when nothing changed" };
        var image = new Option<string[]>("--image") { Description = "SERVICE=IMAGE: run this image for the service (this run and until replaced)", AllowMultipleArgumentsPerToken = false };
        var breakLock = SharedOptions.BreakLock();
        var unpin = new Option<bool>("--unpin") { Description = "Move on from the revision a rollback pinned (refused without it)" };
        var sourceCommit = new Option<string?>("--source-commit")
        {
            Description = "Move the spec's repository to exactly this commit (fast-forward only) instead of pulling its upstream; fleet deploy pins each host this way",
        };
        var stackPath = new Option<string?>("--stack-path") { Description = "Pull this stack folder instead of deployment.yml's stack-source (this run only)" };
        var specFile = new Option<string?>("--spec-file")
        {
            Description = "Sync D from this spec instead of deployment.yml's spec-source (this run only); a relative path is taken from the stack's repository root, as laconic-so does",
        };
        var skipProbe = new Option<bool>("--force")
        {
            Description = "Skip the DNS probe of a changed http-proxy host name (laconic-so's flag; Kubernetes only): without it restart refuses, before anything changes, a name that does not reach this cluster's ingress",
        };
        var output = SharedOptions.Output();
        var forceConflicts = SharedOptions.ForceConflicts();
        var command = new Command("restart", "Sync D from its sources and roll out what changed (prepare … verify, record; rollback when unhealthy)")
        {
            timeout, force, image, breakLock, unpin, sourceCommit, stackPath, specFile, skipProbe, output, forceConflicts,
        };
        command.SetAction((parse, ct) => cli.DeploymentAsync(parse, async (env, dir) =>
        {
            var result = await new Restart(env).RunAsync(dir, new RunRequest(RunRequest.Restart)
            {
                WaitTimeout = parse.Seconds(timeout),
                ForceRecreate = parse.GetValue(force),
                ServiceImages = ParseImages(parse.GetValue(image) ?? []),
                BreakLock = parse.GetValue(breakLock),
                ForceConflicts = parse.GetValue(forceConflicts),
                Unpin = parse.GetValue(unpin),
                SourceCommit = parse.GetValue(sourceCommit),
                StackSource = parse.GetValue(stackPath),
                SpecSource = parse.GetValue(specFile),
                SkipDnsProbe = parse.GetValue(skipProbe),
            }, ct);
            return RunOutput.Print(cli.Ui, result, parse.IsJson(output));
        }));
        return command;
    }

    internal static Dictionary<string, string> ParseImages(IEnumerable<string> values)
    {
        var images = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var eq = value.IndexOf('=');
            if (eq <= 0 || eq == value.Length - 1 || value.Any(char.IsWhiteSpace))
            {
                throw new SlipwayException(FailureReason.InvalidInput, $"--image '{value}' must be SERVICE=IMAGE", "e.g. --image web=registry.example/web:3f2a9c1d0b7e");
            }

            images[value[..eq]] = value[(eq + 1)..];
        }

        return images;
    }
}
