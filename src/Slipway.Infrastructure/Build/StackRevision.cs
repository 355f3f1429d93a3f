namespace Slipway.Infrastructure.Build;

public enum RevisionKind
{
    /// <summary>A clean git work tree: the tag is the commit.</summary>
    GitCommit,

    /// <summary>A git work tree with uncommitted changes: commit plus a hash of the changed files' content.</summary>
    GitDirty,

    /// <summary>Not in git (or git unusable): a hash of the stack's files and build folders.</summary>
    ContentHash,
}

/// <summary>
/// The version of a stack that built images are tagged with. <see cref="Tag"/> is a valid Docker tag that names one
/// content exactly: the same tag is never produced for different files, so an existing image with it can be reused.
/// </summary>
public sealed record StackRevision(string Tag, RevisionKind Kind, string Description, string? Commit = null);
