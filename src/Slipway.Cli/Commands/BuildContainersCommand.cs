using System.CommandLine;
using System.Text.Json;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Build;
using Slipway.Infrastructure.Files;
using Slipway.Infrastructure.Registry;

namespace Slipway.Cli.Commands;

/// <summary>
/// <c>slipway --stack S build-containers</c>: builds the stack's images with an immutable tag (the stack's git commit,
/// a dirty marker, or a content hash) and, with <c>--push</c>, pushes them to image-registry.
/// </summary>
internal static class BuildContainersCommand
{
    public static Command Create(CliContext context)
    {
        var include = new Option<string[]>("--include") { Description = "Only these containers (comma-separated or repeated)" };
        var force = new Option<bool>("--force-rebuild") { Description = "Build without the cache, even when an image with the exact tag exists" };
        var buildArg = new Option<string[]>("--build-arg") { Description = "KEY=VALUE passed to docker build as --build-arg (repeatable)" };
        var extra = new Option<string?>("--extra-build-args") { Description = "Extra arguments for docker build (laconic-so's flag; word-split)" };
        var push = new Option<bool>("--push", "--publish-images") { Description = "Push the built images to image-registry" };
        var registry = new Option<string?>("--image-registry") { Description = "Registry to push to (host[:port][/path]); default: the spec's image-registry" };
        var specFile = new Option<string?>("--spec-file") { Description = "A spec whose image-registry and registry-credentials --push uses (and whose stack is built when --stack is absent)" };
        var output = new Option<string>("--output") { Description = "text or json (json goes to stdout; messages to stderr)", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");
        var command = new Command("build-containers", "Build the images the stack defines, tagged with the stack's git revision (and <name>:local)")
        {
            include, force, buildArg, extra, push, registry, specFile, output,
        };
        command.SetAction((parse, ct) => context.GuardAsync(parse, async () =>
        {
            var env = context.Environment();
            var diagnostics = new DiagnosticBag();
            var (spec, specPath) = LoadSpec(parse.GetValue(specFile), env.CurrentDirectory, diagnostics);
            context.ShowWarnings(diagnostics.Items);

            var stackArgument = parse.GetValue(context.Stack);
            var stackBase = env.CurrentDirectory;
            if (stackArgument is null && spec?.Stack is { } specStack)
            {
                stackArgument = specStack.Value;
                stackBase = Path.GetDirectoryName(specPath)!;
            }

            if (stackArgument is null)
            {
                throw new SlipwayException(FailureReason.InvalidInput, "--stack is required: slipway --stack PATH build-containers");
            }

            var stackDiagnostics = new DiagnosticBag();
            var files = new DiskHostFiles();
            var stack = Stack.Load(StackResolver.Resolve(stackArgument, stackBase, env.ShippedStackRoots, files), files, stackDiagnostics);
            context.ShowWarnings(stackDiagnostics.Items);

            // Checked before building, so a push that cannot happen does not cost the builds first.
            PushRequest? pushRequest = null;
            if (parse.GetValue(push))
            {
                var target = parse.GetValue(registry) ?? spec?.ImageRegistry?.Value
                    ?? throw new SlipwayException(FailureReason.InvalidInput, "--push needs a registry: give --image-registry HOST[:PORT][/PATH] or a --spec-file with image-registry");
                pushRequest = new PushRequest(ImagePublisher.NormalizeRegistry(target))
                {
                    Credentials = spec?.RegistryCredentials,
                    SpecDirectory = specPath is null ? env.CurrentDirectory : Path.GetDirectoryName(specPath)!,
                };
                ImagePublisher.CheckLogin(pushRequest);
            }

            var json = parse.GetValue(output) == "json";
            if (stack.Definition.Containers.Count == 0)
            {
                context.Ui.Warn($"stack {stack.Name} does not define any containers");
                if (json) context.Ui.Result("[]");
                return ExitCodes.Success;
            }

            var request = new BuildRequest
            {
                Include = Split(parse.GetValue(include)),
                ForceRebuild = parse.GetValue(force),
                BuildArgs = parse.GetValue(buildArg) ?? [],
                ExtraBuildArgs = parse.GetValue(extra),
            };
            var builder = new ContainerBuilder(env.Runner, env.DockerExecutable);
            var images = await context.Ui.StepAsync($"build {stack.Name} images", progress =>
                builder.BuildAsync(stack, request, (container, line) => progress($"{container}: {line}"), ct));
            foreach (var image in images)
            {
                context.Ui.Info($"built {image.StackImage} as {image.Reference} ({(image.Reused ? "existing image reused" : $"{image.Duration.TotalSeconds:0.0}s")})");
                if (image.Revision is { } revision) context.Ui.Detail($"tag {revision.Tag}: {revision.Description}");
            }

            if (pushRequest is not null)
            {
                var publisher = new ImagePublisher(env.Runner, env.DockerExecutable);
                images = await context.Ui.StepAsync($"push to {pushRequest.Registry}", progress =>
                    publisher.PushAsync(images, pushRequest, (container, line) => progress($"{container}: {line}"), ct));
                foreach (var image in images) context.Ui.Info($"pushed {image.Reference}{(image.Digest is null ? "" : " " + image.Digest)}");
            }

            if (json) context.Ui.Result(Json(images));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static (Spec? Spec, string? Path) LoadSpec(string? specFile, string currentDirectory, DiagnosticBag diagnostics)
    {
        if (specFile is null) return (null, null);
        var path = Path.GetFullPath(Path.Combine(currentDirectory, StackResolver.ExpandHome(specFile)));
        if (!File.Exists(path))
        {
            throw new SlipwayException(FailureReason.NotFound, $"spec file {path} does not exist");
        }

        var spec = SpecParser.Parse(File.ReadAllText(path), path, diagnostics);
        diagnostics.ThrowIfErrors();
        return (spec, path);
    }

    private static List<string> Split(string[]? values) =>
        (values ?? []).SelectMany(i => i.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();

    private static string Json(IReadOnlyList<BuiltImage> images)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var image in images)
            {
                writer.WriteStartObject();
                writer.WriteString("container", image.Container);
                writer.WriteString("stackImage", image.StackImage);
                writer.WriteString("reference", image.Reference);
                if (image.Revision is null) writer.WriteNull("revision"); else writer.WriteString("revision", image.Revision.Tag);
                writer.WriteBoolean("reused", image.Reused);
                if (image.Digest is null) writer.WriteNull("digest"); else writer.WriteString("digest", image.Digest);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
