namespace Slipway.Infrastructure.Pipeline;

/// <summary>restart's prepare: pull the stack and spec repositories and sync D from the git-tracked spec.</summary>
public interface ISourceSync
{
    /// <summary>
    /// Pulls and syncs D; a failure must throw before anything in D changed. <paramref name="serviceImages"/> are the
    /// run's <c>--image SERVICE=IMAGE</c> overrides; the returned pins carry them (and only them) for this run.
    /// </summary>
    Task<SourceSyncResult> SyncAsync(RunContext context, IReadOnlyDictionary<string, string> serviceImages, CancellationToken cancellationToken);
}

/// <summary>What a sync did: image pins for this run and human lines on what changed in D (for the log and output).</summary>
/// <param name="Changes">One line per file of D the sync added or changed (only those count as changes).</param>
public sealed record SourceSyncResult(IReadOnlyList<ImagePin> Pins, IReadOnlyList<string> Changes, IReadOnlyList<string> Warnings)
{
    /// <summary>One line per repository pulled: old..new commit, or already up to date.</summary>
    public IReadOnlyList<string> Pulls { get; init; } = [];

    /// <summary>The same pulls as records (for run.json and --output json).</summary>
    public IReadOnlyList<RepositoryPull> Repositories { get; init; } = [];

    /// <summary>The files of D the sync added or changed.</summary>
    public IReadOnlyList<SyncedFile> Files { get; init; } = [];
}
