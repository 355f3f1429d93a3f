using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Pipeline;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.GitOps;

/// <summary>The commits a deployment's sources are at now: the stack's repository and the git-tracked spec's (each with whether it is dirty).</summary>
internal static class SourceCommits
{
    public static async Task<List<SourceCommit>> ReadAsync(DeploymentSession session, Git git, CancellationToken cancellationToken)
    {
        var commits = new List<SourceCommit>();
        var sources = new List<(string Role, string Path, bool File)> { ("stack", Path.GetFullPath(session.Identity.StackSource), false) };
        if (session.Identity.SpecSource is { } spec) sources.Add(("spec", Path.GetFullPath(spec), true));
        foreach (var (role, path, isFile) in sources)
        {
            var folder = isFile ? Path.GetDirectoryName(path)! : path;
            if (!Directory.Exists(folder) || Git.FindWorkTreeMarker(folder) is null)
            {
                commits.Add(new SourceCommit(role, path, null, null, false));
                continue;
            }

            // One git call, not three (every start runs this): the branch headers carry the commit and the branch.
            var status = await git.TryAsync(folder, ["status", "--porcelain=v2", "--branch", "--untracked-files=all", "--", isFile ? Path.GetFileName(path) : "."], cancellationToken);
            var (head, branch, dirty) = Parse(status);
            commits.Add(new SourceCommit(role, path, head, branch, dirty));
        }

        return commits;
    }

    /// <summary>
    /// <c>git status --porcelain=v2 --branch</c>: <c># branch.oid</c> (<c>(initial)</c> before the first commit),
    /// <c># branch.head</c> (<c>(detached)</c> off a branch), and any other line is a change. Null (git failed): nothing known.
    /// </summary>
    internal static (string? Commit, string? Branch, bool Dirty) Parse(string? status)
    {
        if (status is null) return (null, null, false);
        string? commit = null, branch = null;
        var dirty = false;
        foreach (var line in status.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# branch.oid ", StringComparison.Ordinal)) commit = Header(line["# branch.oid ".Length..]);
            else if (line.StartsWith("# branch.head ", StringComparison.Ordinal)) branch = Header(line["# branch.head ".Length..]);
            else if (!line.StartsWith('#') && line.Trim().Length > 0) dirty = true;
        }

        return (commit, branch, dirty);
    }

    private static string? Header(string value) => value.Trim() is { Length: > 0 } v && !v.StartsWith('(') ? v : null;
}
