using System.CommandLine;
using Slipway.Core.Diagnostics;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Build;

namespace Slipway.Cli.Commands;

/// <summary><c>slipway --stack S build-containers</c>: builds the stack's images locally.</summary>
internal static class BuildContainersCommand
{
    public static Command Create(CliContext context)
    {
        var include = new Option<string[]>("--include") { Description = "Only these containers (comma-separated or repeated)" };
        var force = new Option<bool>("--force-rebuild") { Description = "Build without the cache" };
        var extra = new Option<string?>("--extra-build-args") { Description = "Extra arguments for docker build" };
        var command = new Command("build-containers", "Build the images the stack defines (tagged <name>:local)") { include, force, extra };
        command.SetAction((parse, ct) => context.GuardAsync(parse, async () =>
        {
            var stackArgument = parse.GetValue(CliContext.Stack)
                ?? throw new SlipwayException(FailureReason.InvalidInput, "--stack is required: slipway --stack PATH build-containers");
            var env = context.Environment();
            var diagnostics = new DiagnosticBag();
            var stack = Stack.Load(StackResolver.Resolve(stackArgument, env.CurrentDirectory, env.ShippedStackRoots), diagnostics);
            context.ShowWarnings(diagnostics.Items);
            if (stack.Definition.Containers.Count == 0)
            {
                context.Ui.Warn($"stack {stack.Name} does not define any containers");
                return ExitCodes.Success;
            }

            var request = new BuildRequest
            {
                Include = (parse.GetValue(include) ?? []).SelectMany(i => i.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList(),
                ForceRebuild = parse.GetValue(force),
                ExtraBuildArgs = parse.GetValue(extra),
            };
            var builder = new ContainerBuilder(env.Runner, env.DockerExecutable);
            var built = await context.Ui.StepAsync($"build {stack.Name} images", progress =>
                builder.BuildAsync(stack, request, (container, line) => progress($"{container}: {line}"), ct));
            foreach (var image in built) context.Ui.Info($"built {image.Tag} ({image.Duration.TotalSeconds:0.0}s)");
            return ExitCodes.Success;
        }));
        return command;
    }
}
