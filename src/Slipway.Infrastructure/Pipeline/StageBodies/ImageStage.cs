using Slipway.Core.Diagnostics;
using Slipway.Core.Kubernetes;
using Slipway.Core.Rendering.Kubernetes;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Build;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Files;
using Slipway.Infrastructure.Registry;
using Slipway.Infrastructure.Verification;

namespace Slipway.Infrastructure.Pipeline.StageBodies;

/// <summary>
/// build and push: the stack's images that have a build folder are built (or reused) under an immutable tag; with an
/// image-registry they are pushed. Images without a build folder (built elsewhere) run as the files name them.
/// </summary>
public sealed class ImageStage(string docker = "docker", string git = "git") : IImageStage
{
    public async Task<IReadOnlyList<ImagePin>> BuildAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        var deployment = context.Deployment;
        var stackDirectory = deployment.Identity.StackSource;
        if (!Directory.Exists(stackDirectory))
        {
            context.Reporter.Warn($"the stack source {stackDirectory} is gone: no images built; the files' image references are used");
            return [];
        }

        var diagnostics = new DiagnosticBag();
        var stack = Stack.Load(stackDirectory, new DiskHostFiles(), diagnostics);
        diagnostics.ThrowIfErrors();
        var buildable = stack.Definition.Containers.Where(c => stack.ContainerBuildDirectory(c) is not null).ToList();
        foreach (var missing in stack.Definition.Containers.Except(buildable))
        {
            context.Log.Note($"build: {missing} has no container-build folder; the image is used as the compose files name it");
        }

        if (buildable.Count == 0) return [];
        var built = await new ContainerBuilder(context.Runner, docker, git).BuildAsync(stack, new BuildRequest { Include = buildable },
            (container, line) => context.Progress($"{container}: {line}"), cancellationToken);
        return Pins(deployment, deployment.Spec, built);
    }

    public async Task<IReadOnlyList<ImagePin>> PublishAsync(PipelineContext context, IReadOnlyList<ImagePin> built, CancellationToken cancellationToken)
    {
        var spec = context.Deployment.Spec;
        if (spec.ImageRegistry is not { } registry) return built;

        // Only the stack's own images are pushed (a k8s pin keyed by the registry-rewritten name is the same image).
        var images = built.Where(p => !p.StackImage.StartsWith(registry.Value.TrimEnd('/') + "/", StringComparison.Ordinal))
            .Select(p => new BuiltImage(ContainerBuilder.Repository(p.StackImage), p.StackImage, p.Reference, TimeSpan.Zero))
            .ToList();
        var pushed = await new ImagePublisher(context.Runner, docker).PushAsync(images, PushRequestFor(context.Deployment, spec, registry.Value),
            (image, line) => context.Progress($"{image}: {line}"), cancellationToken);
        return Pins(context.Deployment, spec, pushed);
    }

    internal static PushRequest PushRequestFor(Deployment deployment, Spec spec, string registry) => new(registry)
    {
        Credentials = spec.RegistryCredentials,
        // A relative token-file is relative to the git-tracked spec, not to D's copy of it.
        SpecDirectory = deployment.Identity.SpecSource is { } source && File.Exists(source) ? Path.GetDirectoryName(source)! : deployment.Layout.Directory,
    };

    /// <summary>
    /// One pin per image, keyed by the reference the applied files carry: the stack image on compose; on Kubernetes
    /// also the registry-rewritten name the renderer wrote (KubernetesRenderer.ResolveImage).
    /// </summary>
    private static List<ImagePin> Pins(Deployment deployment, Spec spec, IEnumerable<BuiltImage> images)
    {
        var pins = new List<ImagePin>();
        foreach (var image in images)
        {
            pins.Add(new ImagePin(image.StackImage, image.Reference));
            if (deployment.Target.IsKubernetes())
            {
                var rendered = KubernetesRenderer.ResolveImage(image.StackImage, spec, overridden: false);
                if (rendered != image.StackImage) pins.Add(new ImagePin(rendered, image.Reference));
            }
        }

        return pins;
    }
}
