using System.CommandLine;
using System.Text.Json;
using Slipway.Cli.Output;
using Slipway.Infrastructure.Operations;

namespace Slipway.Cli.Commands;

/// <summary><c>slipway --stack S build-containers</c>: the stack's images, tagged with the revision of their build folders, optionally pushed.</summary>
internal static class BuildContainersCommand
{
    public static Command Create(CliContext cli)
    {
        var include = new Option<string[]>("--include") { Description = "Only these containers (comma-separated or repeated)" };
        var exclude = new Option<string[]>("--exclude") { Description = "Not these containers (comma-separated or repeated)" };
        var force = new Option<bool>("--force-rebuild") { Description = "Build without the cache, even when an image with the exact tag exists" };
        var buildArg = new Option<string[]>("--build-arg") { Description = "KEY=VALUE passed to docker build as --build-arg (repeatable)" };
        var extra = new Option<string?>("--extra-build-args") { Description = "Extra arguments for docker build (laconic-so's flag; word-split)" };
        var push = new Option<bool>("--push", "--publish-images") { Description = "Push the built images to image-registry" };
        var registry = new Option<string?>("--image-registry") { Description = "Registry to push to (host[:port][/path]); default: the spec's image-registry" };
        var specFile = new Option<string?>("--spec-file") { Description = "A spec whose image-registry and registry-credentials --push uses (and whose stack is built when --stack is absent)" };
        var output = SharedOptions.Output();
        var command = new Command("build-containers", "Build the images the stack defines, tagged with the stack's git revision (and <name>:local)")
        {
            include, exclude, force, buildArg, extra, push, registry, specFile, output,
        };
        command.SetAction((parse, ct) => cli.GuardAsync(parse, async env =>
        {
            var build = new BuildContainers(env);
            var plan = build.Prepare(new BuildContainersRequest
            {
                StackArgument = cli.StackValue(parse),
                SpecFile = parse.GetValue(specFile),
                Include = List(parse.GetValue(include)),
                Exclude = List(parse.GetValue(exclude)),
                ContinueOnError = parse.GetValue(cli.ContinueOnError),
                DryRun = parse.GetValue(cli.DryRun),
                Debug = parse.GetValue(cli.Debug),
                ForceRebuild = parse.GetValue(force),
                BuildArgs = parse.GetValue(buildArg) ?? [],
                ExtraBuildArgs = parse.GetValue(extra),
                Push = parse.GetValue(push),
                Registry = parse.GetValue(registry),
            });
            cli.ShowWarnings(plan.Warnings);
            var images = await build.RunAsync(plan, ct);
            if (parse.IsJson(output))
            {
                IReadOnlyList<BuiltImageJson> json = images.Select(i => new BuiltImageJson(i.Container, i.StackImage, i.Reference, i.Revision?.Tag, i.Reused, i.Digest)).ToList();
                cli.Ui.Result(JsonSerializer.Serialize(json, OutputJson.Default.IReadOnlyListBuiltImageJson));
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static List<string> List(string[]? values) =>
        (values ?? []).SelectMany(i => i.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
}
