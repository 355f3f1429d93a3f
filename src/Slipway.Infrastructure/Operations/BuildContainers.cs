using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Build;
using Slipway.Infrastructure.Files;
using Slipway.Infrastructure.Registry;

namespace Slipway.Infrastructure.Operations;

public sealed record BuildContainersRequest
{
    /// <summary>The global <c>--stack</c>; the spec's <c>stack:</c> when absent.</summary>
    public string? StackArgument { get; init; }

    public string? SpecFile { get; init; }

    public IReadOnlyList<string> Include { get; init; } = [];

    public bool ForceRebuild { get; init; }

    public IReadOnlyList<string> BuildArgs { get; init; } = [];

    public string? ExtraBuildArgs { get; init; }

    public bool Push { get; init; }

    /// <summary><c>--image-registry</c>; the spec's image-registry when absent.</summary>
    public string? Registry { get; init; }
}

/// <param name="Registry">Where the images were pushed (null without --push).</param>
public sealed record BuildContainersResult(string Stack, IReadOnlyList<BuiltImage> Images, string? Registry, IReadOnlyList<Diagnostic> Warnings);

/// <summary>
/// <c>slipway --stack S build-containers</c>: builds the stack's images with an immutable tag (the commit of each build
/// folder, a dirty marker, or a content hash) and, with <c>--push</c>, pushes them to image-registry.
/// </summary>
public sealed class BuildContainers(SlipwayEnvironment env)
{
    public async Task<BuildContainersResult> RunAsync(BuildContainersRequest request, CancellationToken cancellationToken)
    {
        var diagnostics = new DiagnosticBag();
        var (spec, specPath) = LoadSpec(request.SpecFile, diagnostics);
        var stackArgument = request.StackArgument;
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

        var files = new DiskHostFiles();
        var stack = Stack.Load(StackResolver.Resolve(stackArgument, stackBase, env.ShippedStackRoots, files), files, diagnostics);

        // Checked before building, so a push that cannot happen does not cost the builds first.
        PushRequest? push = null;
        if (request.Push)
        {
            var target = request.Registry ?? spec?.ImageRegistry?.Value
                ?? throw new SlipwayException(FailureReason.InvalidInput, "--push needs a registry: give --image-registry HOST[:PORT][/PATH] or a --spec-file with image-registry");
            push = new PushRequest(ImagePublisher.NormalizeRegistry(target))
            {
                Credentials = spec?.RegistryCredentials,
                SpecDirectory = specPath is null ? env.CurrentDirectory : Path.GetDirectoryName(specPath)!,
                GetEnvironment = env.GetEnvironment,
            };
            ImagePublisher.CheckLogin(push);
        }

        if (stack.Definition.Containers.Count == 0)
        {
            env.Reporter.Warn($"stack {stack.Name} does not define any containers");
            return new BuildContainersResult(stack.Name, [], null, diagnostics.Sorted());
        }

        var tools = env.ToolBox;
        var images = await env.Reporter.StepAsync($"build {stack.Name} images", progress =>
            new ContainerBuilder(tools.Docker, tools.Git).BuildAsync(stack, new BuildRequest
            {
                Include = request.Include,
                ForceRebuild = request.ForceRebuild,
                BuildArgs = request.BuildArgs,
                ExtraBuildArgs = request.ExtraBuildArgs,
            }, (container, line) => progress($"{container}: {line}"), cancellationToken));
        foreach (var image in images)
        {
            env.Reporter.Info($"built {image.StackImage} as {image.Reference} ({(image.Reused ? "existing image reused" : $"{image.Duration.TotalSeconds:0.0}s")})");
            if (image.Revision is { } revision) env.Reporter.Detail($"tag {revision.Tag}: {revision.Description}");
        }

        if (push is not null)
        {
            images = await env.Reporter.StepAsync($"push to {push.Registry}", progress =>
                new ImagePublisher(tools.Docker).PushAsync(images, push, (container, line) => progress($"{container}: {line}"), cancellationToken));
            foreach (var image in images) env.Reporter.Info($"pushed {image.Reference}{(image.Digest is null ? "" : " " + image.Digest)}");
        }

        return new BuildContainersResult(stack.Name, images, push?.Registry, diagnostics.Sorted());
    }

    private (Spec? Spec, string? Path) LoadSpec(string? specFile, DiagnosticBag diagnostics)
    {
        if (specFile is null) return (null, null);
        var path = env.Resolve(StackResolver.ExpandHome(specFile));
        if (!File.Exists(path))
        {
            throw new SlipwayException(FailureReason.NotFound, $"spec file {path} does not exist");
        }

        var spec = SpecParser.Parse(File.ReadAllText(path), path, diagnostics);
        diagnostics.ThrowIfErrors();
        return (spec, path);
    }
}
