namespace Slipway.Infrastructure.Build;

/// <summary>
/// One image of the stack. <see cref="StackImage"/> is the reference the compose files use (e.g.
/// <c>slipway/hello:local</c>); <see cref="Reference"/> is the immutable one to deploy instead (e.g.
/// <c>slipway/hello:3f2a1b0c9d8e</c>, or after a push <c>registry:5000/slipway/hello:3f2a1b0c9d8e</c>).
/// </summary>
public sealed record BuiltImage(string Container, string StackImage, string Reference, TimeSpan Duration)
{
    /// <summary>True when an image with the exact tag existed and was not rebuilt.</summary>
    public bool Reused { get; init; }

    /// <summary>What the tag names (commit, dirty marker or content hash), for output.</summary>
    public StackRevision? Revision { get; init; }

    /// <summary>The registry digest (<c>sha256:…</c>) once pushed, when the registry reported one.</summary>
    public string? Digest { get; init; }

    /// <summary>Something the operator should know about how the image was made (e.g. the script tagged only :local).</summary>
    public string? Note { get; init; }

    /// <summary>--dry-run: the command that would build it (null when the exact tag exists and would be reused); nothing ran.</summary>
    public string? WouldRun { get; init; }

    public bool DryRun { get; init; }
}
