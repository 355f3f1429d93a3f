namespace Slipway.Infrastructure.Pipeline;

/// <summary>What restart's pull did to one repository (kept in run.json, printed by --output json).</summary>
/// <param name="Outcome">updated, up-to-date, no-upstream or not-a-repository.</param>
/// <param name="Summary">The line the console printed.</param>
public sealed record RepositoryPull(string Path, IReadOnlyList<string> Roles, string Outcome, string? Branch, string? Upstream, string? Before, string? After, string Summary);

/// <summary>A file of D restart's sync added or changed.</summary>
public sealed record SyncedFile(string Path, string Change);

/// <summary>
/// Where a revision came from: the commit a source (the stack's repository, or the git-tracked spec's) was at when the
/// run prepared, and whether that source had uncommitted changes.
/// </summary>
/// <param name="Role">stack, spec, or <c>pod NAME</c> (a pod whose compose file comes from a repository in the dev root).</param>
/// <param name="Path">The stack folder, the git-tracked spec file, or the pod's repository.</param>
/// <param name="Commit">Full commit id; null when the source is not in a git work tree.</param>
/// <param name="Dirty">True when the source (the stack folder, or the spec file) has uncommitted or untracked changes.</param>
public sealed record SourceCommit(string Role, string Path, string? Commit, string? Branch, bool Dirty)
{
    /// <summary>
    /// True when the run used this path instead of deployment.yml's: restart's --stack-path or --spec-file (or
    /// laconic-so's deployment/spec.yml, found for a D without a spec-source).
    /// </summary>
    public bool Override { get; init; }

    public string Describe() => Commit is null
        ? $"{Role} {Path}: not in git"
        : $"{Role} {Commit[..Math.Min(12, Commit.Length)]}{(Branch is null ? "" : $" ({Branch})")}{(Dirty ? " dirty" : "")}{(Override ? $" from {Path}" : "")}";
}
