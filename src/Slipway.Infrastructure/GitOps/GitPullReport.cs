namespace Slipway.Infrastructure.GitOps;

internal enum GitPullOutcome
{
    /// <summary>The folder is not inside a git work tree (or does not exist): nothing to pull.</summary>
    NotARepository,

    /// <summary>A work tree with nothing to pull from: detached HEAD, or a branch without an upstream.</summary>
    NoUpstream,

    UpToDate,

    /// <summary>Fast-forwarded from <see cref="GitRepositoryPull.Before"/> to <see cref="GitRepositoryPull.After"/>.</summary>
    Updated,
}

/// <summary>A folder restart pulls: the stack (<c>stack-source</c>) or the git-tracked spec's folder (<c>spec-source</c>).</summary>
internal sealed record GitSource(string Role, string Path);

/// <summary>What the pull did to one repository (several sources in one repository are pulled once).</summary>
/// <param name="Path">The work tree's top level, or the source folder when it is not in a repository.</param>
/// <param name="Roles">Which sources live here: "stack", "spec" or both.</param>
internal sealed record GitRepositoryPull(
    string Path, IReadOnlyList<string> Roles, GitPullOutcome Outcome, string? Branch = null, string? Upstream = null, string? Before = null, string? After = null, string? Note = null)
{
    public string Describe()
    {
        var what = $"{string.Join("+", Roles)} {Path}";
        static string Short(string? sha) => sha is null ? "?" : sha[..Math.Min(12, sha.Length)];
        return Outcome switch
        {
            GitPullOutcome.NotARepository => $"{what}: not in a git work tree, nothing pulled",
            GitPullOutcome.NoUpstream => $"{what}: {Note}, nothing pulled",
            GitPullOutcome.UpToDate => $"{what}: {Branch} already up to date with {Upstream} at {Short(After)}{(Note is null ? "" : $" ({Note})")}",
            _ => $"{what}: {Branch} fast-forwarded {Short(Before)} -> {Short(After)} from {Upstream}",
        };
    }
}

/// <summary>What <c>plan --fetch</c> found upstream of one repository without moving it.</summary>
/// <param name="Commits">"abbrev subject", newest first.</param>
/// <param name="Files">Paths relative to the repository that the incoming commits change.</param>
/// <param name="Note">Why nothing was fetched (not a repository, no upstream, a failed fetch).</param>
public sealed record IncomingChanges(string Repository, IReadOnlyList<string> Roles, string? Upstream, IReadOnlyList<string> Commits, IReadOnlyList<string> Files, string? Note);

internal sealed record GitPullReport(IReadOnlyList<GitRepositoryPull> Repositories)
{
    public bool Changed => Repositories.Any(r => r.Outcome == GitPullOutcome.Updated);
}
