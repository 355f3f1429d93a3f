using Slipway.Core.Diagnostics;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Build;
using Slipway.Infrastructure.Files;
using Slipway.Infrastructure.Registry;

namespace Slipway.Infrastructure.Pipeline;

/// <summary>
/// The stack's images for build and push: those with a build folder are built (or reused) under an immutable tag;
/// with an image-registry they are pushed. Images without a build folder (built elsewhere) run as the files name them.
/// </summary>
internal sealed class StackImages : IImageBuilder
{
    public async Task<IReadOnlyList<ImagePin>> BuildAsync(RunContext context, CancellationToken cancellationToken)
    {
        var session = context.Session;
        var stackDirectory = session.Identity.StackSource;
        if (!session.Identity.StackSourceWritten)
        {
            context.Log.Note("build: deployment.yml names no stack-source (laconic-so's): no images built; the files' image references are used");
            return [];
        }

        if (!Directory.Exists(stackDirectory))
        {
            context.Reporter.Warn($"the stack source {stackDirectory} is gone: no images built; the files' image references are used");
            return [];
        }

        var diagnostics = new DiagnosticBag();
        var stack = Stack.Load(stackDirectory, new DiskHostFiles(), diagnostics, fallbackRoots: context.LaconicDataRoots);
        diagnostics.ThrowIfErrors();
        var buildable = stack.Definition.Containers.Where(c => ContainerBuilder.CanBuild(stack, c, context.RepositoryBase)).ToList();
        foreach (var missing in stack.Definition.Containers.Except(buildable))
        {
            context.Log.Note($"build: {missing} has no container-build folder and no Dockerfile in {ContainerBuilder.DefaultBuildDirectory(missing, context.RepositoryBase)}; the image is used as the compose files name it");
        }

        if (buildable.Count == 0) return [];
        var built = await new ContainerBuilder(context.Tools.Docker, context.Tools.Git).BuildAsync(stack, new BuildRequest
        {
            Include = buildable,
            RepositoryBase = context.RepositoryBase,
            DockerBuildKit = context.GetEnvironment("DOCKER_BUILDKIT"),
        }, (container, line) => context.Progress($"{container}: {line}"), cancellationToken);
        foreach (var note in built.Where(b => b.Note is not null)) context.Reporter.Info($"{note.Container}: {note.Note}");
        foreach (var image in built.Where(b => b.Revision?.Kind == RevisionKind.GitDirty))
        {
            // A -dirty- tag names content no commit holds: the deploy cannot be reproduced from git.
            context.Reporter.Warn($"{image.Reference} was built from a build folder with uncommitted changes ({image.Revision!.Description}); "
                + "commit (or stash) them and run again for a clean, reproducible tag");
        }

        return built.Select(b => new ImagePin(b.StackImage, b.Reference)).ToList();
    }

    public async Task<IReadOnlyList<ImagePin>> PublishAsync(RunContext context, IReadOnlyList<ImagePin> built, CancellationToken cancellationToken)
    {
        var session = context.Session;
        if (session.Spec.ImageRegistry is not { } registry) return built;
        var images = built.Select(p => new BuiltImage(ContainerBuilder.Repository(p.StackImage), p.StackImage, p.Reference, TimeSpan.Zero)).ToList();
        if (images.Count == 0) return built;
        // The run's login (logged out at the run's end), so the publisher does not log in again.
        await RegistryLogin.EnsureAsync(context, cancellationToken);
        var request = ImagePublisher.RequestFor(session, registry.Value, context.GetEnvironment) with { Credentials = null };
        var pushed = await new ImagePublisher(context.Tools.Docker).PushAsync(images, request, (image, line) => context.Progress($"{image}: {line}"), cancellationToken);
        return pushed.Select(p => new ImagePin(p.StackImage, p.Reference)).ToList();
    }
}
