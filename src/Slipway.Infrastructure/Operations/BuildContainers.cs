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

    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Build the next image after a failed one; the command still fails (and pushes nothing) at the end.</summary>
    public bool ContinueOnError { get; init; }

    /// <summary>The global --dry-run: say what would be built, tagged and pushed; build, tag and push nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>The global --debug: CERC_SCRIPT_DEBUG=true for build scripts.</summary>
    public bool Debug { get; init; }

    public bool ForceRebuild { get; init; }

    public IReadOnlyList<string> BuildArgs { get; init; } = [];

    public string? ExtraBuildArgs { get; init; }

    public bool Push { get; init; }

    /// <summary><c>--image-registry</c>; the spec's image-registry when absent.</summary>
    public string? Registry { get; init; }
}

/// <summary>The spec and stack a build-containers run loaded, checked, with their warnings to show before the build starts.</summary>
public sealed class BuildContainersPlan
{
    internal BuildContainersPlan(BuildContainersRequest request, Stack stack, PushRequest? push, IReadOnlyList<Diagnostic> warnings)
    {
        Request = request;
        Stack = stack;
        Push = push;
        Warnings = warnings;
    }

    public IReadOnlyList<Diagnostic> Warnings { get; }

    internal BuildContainersRequest Request { get; }

    internal Stack Stack { get; }

    internal PushRequest? Push { get; }
}

/// <summary>
/// <c>slipway --stack S build-containers</c>: builds the stack's images with an immutable tag (the commit of each build
/// folder, a dirty marker, or a content hash) and, with <c>--push</c>, pushes them to image-registry.
/// </summary>
public sealed class BuildContainers(SlipwayEnvironment env)
{
    /// <summary>Loads the spec and stack and checks a push can log in: everything that can fail before a build costs time.</summary>
    public BuildContainersPlan Prepare(BuildContainersRequest request)
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
        var stack = Stack.Load(StackResolver.Resolve(stackArgument, stackBase, env.ShippedStackRoots, files), files, diagnostics, podsRequired: false, fallbackRoots: env.LaconicDataRoots);

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

        return new BuildContainersPlan(request, stack, push, diagnostics.Sorted());
    }

    /// <summary>Builds (and with --push pushes) what <see cref="Prepare"/> loaded.</summary>
    public async Task<IReadOnlyList<BuiltImage>> RunAsync(BuildContainersPlan plan, CancellationToken cancellationToken)
    {
        var (request, stack, push) = (plan.Request, plan.Stack, plan.Push);
        if (stack.Definition.Containers.Count == 0)
        {
            env.Reporter.Warn($"stack {stack.Name} does not define any containers");
            return [];
        }

        var tools = env.ToolBox;
        // A token the registry refuses fails before the builds, not at the push after them.
        var publisher = new ImagePublisher(tools.Docker);
        if (push?.Credentials is not null) await publisher.CheckLoginAsync(push, cancellationToken);
        BuildResults? partial = null;
        BuildResults results;
        try
        {
            results = await env.Reporter.StepAsync($"build {stack.Name} images", async progress =>
            {
                partial = await new ContainerBuilder(tools.Docker, tools.Git).BuildAllAsync(stack, new BuildRequest
                {
                    Include = request.Include,
                    Exclude = request.Exclude,
                    ContinueOnError = request.ContinueOnError,
                    ForceRebuild = request.ForceRebuild,
                    BuildArgs = request.BuildArgs,
                    ExtraBuildArgs = request.ExtraBuildArgs,
                    RepositoryBase = env.RepositoryBase,
                    Debug = request.Debug,
                    DockerBuildKit = env.GetEnvironment("DOCKER_BUILDKIT"),
                    DryRun = request.DryRun,
                }, (container, line) => progress($"{container}: {line}"), cancellationToken);
                // --continue-on-error carried on past these; the step still failed (never shown as done), and nothing is pushed.
                if (partial.Failed.Count > 0)
                {
                    throw new SlipwayException(FailureReason.DeploymentFailed,
                        $"{partial.Failed.Count} of {partial.Failed.Count + partial.Built.Count} images failed to build: "
                        + string.Join("\n", partial.Failed.Select(f => $"{f.Container}: {f.Message}")));
                }

                return partial;
            });
        }
        catch (SlipwayException) when (partial is { Failed.Count: > 0 } && !request.DryRun)
        {
            ReportBuilt(partial.Built);
            throw;
        }

        if (request.DryRun)
        {
            foreach (var image in results.Built)
            {
                env.Reporter.Info(image.WouldRun is { } command
                    ? $"Dry run: would build {image.StackImage} as {image.Reference}: {command}"
                    : $"Dry run: {image.Reference} exists; would reuse it and tag it {image.StackImage}");
                if (push is not null) env.Reporter.Info($"Dry run: would push {image.Reference} to {push.Registry}");
            }

            return results.Built;
        }

        ReportBuilt(results.Built);
        var images = results.Built;

        if (push is not null)
        {
            images = await env.Reporter.StepAsync($"push to {push.Registry}", progress =>
                publisher.PushAsync(images, push, (container, line) => progress($"{container}: {line}"), cancellationToken));
            foreach (var image in images) env.Reporter.Info($"pushed {image.Reference}{(image.Digest is null ? "" : " " + image.Digest)}");
        }

        return images;
    }

    private void ReportBuilt(IReadOnlyList<BuiltImage> built)
    {
        foreach (var image in built)
        {
            env.Reporter.Info($"built {image.StackImage} as {image.Reference} ({(image.Reused ? "existing image reused" : $"{image.Duration.TotalSeconds:0.0}s")})");
            if (image.Note is { } note) env.Reporter.Info($"{image.Container}: {note}");
            if (image.Revision is { } revision) env.Reporter.Detail($"tag {revision.Tag}: {revision.Description}");
        }
    }

    private (Spec? Spec, string? Path) LoadSpec(string? specFile, DiagnosticBag diagnostics)
    {
        if (specFile is null) return (null, null);
        var path = env.Resolve(StackResolver.ExpandHome(specFile));
        if (!File.Exists(path))
        {
            throw new SlipwayException(FailureReason.NotFound, $"spec file {path} does not exist");
        }

        var spec = SpecParser.Parse(InputFile.ReadText(path), path, diagnostics);
        diagnostics.ThrowIfErrors();
        return (spec, path);
    }
}
