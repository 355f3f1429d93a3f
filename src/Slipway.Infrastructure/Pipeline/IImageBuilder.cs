namespace Slipway.Infrastructure.Pipeline;

/// <summary>The image work of the build and push stages: what the stack builds, and where it is pushed.</summary>
public interface IImageBuilder
{
    /// <summary>Builds (or reuses) the stack's images; returns one pin per image (stack image → the immutable tag built).</summary>
    Task<IReadOnlyList<ImagePin>> BuildAsync(RunContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Pushes <paramref name="built"/> when the spec has an image-registry and returns the pins to apply (the pushed
    /// references); without a registry returns <paramref name="built"/> unchanged.
    /// </summary>
    Task<IReadOnlyList<ImagePin>> PublishAsync(RunContext context, IReadOnlyList<ImagePin> built, CancellationToken cancellationToken);
}
