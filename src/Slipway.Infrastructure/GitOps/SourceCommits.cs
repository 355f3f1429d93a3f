using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Pipeline;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.GitOps;

/// <summary>
/// The commits a deployment's sources are at now (each with whether it is dirty): the stack's repository, the git-tracked
/// spec's, and the repository in the dev root of each pod that comes from one (role <c>pod NAME</c>).
/// </summary>
internal static class SourceCommits
{
    /// <param name="devRoot">The dev root (CERC_REPO_BASE_DIR, a full path) holding the pods' repositories; null: pods are not read.</param>
    /// <param name="stackSource">restart --stack-path: the stack folder this run used instead of deployment.yml's stack-source.</param>
    /// <param name="specSource">restart --spec-file (or laconic-so's deployment/spec.yml): the spec this run synced from instead of spec-source.</param>
    public static async Task<List<SourceCommit>> ReadAsync(DeploymentSession session, Git git, CancellationToken cancellationToken,
        string? devRoot = null, string? stackSource = null, string? specSource = null)
    {
        var commits = new List<SourceCommit>();
        var sources = new List<(string Role, string Path, bool File, bool Override)>
        {
            ("stack", Path.GetFullPath(stackSource ?? session.Identity.StackSource), false, stackSource is not null),
        };
        if ((specSource ?? session.Identity.SpecSource) is { } spec) sources.Add(("spec", Path.GetFullPath(spec), true, specSource is not null));
        if (devRoot is not null)
        {
            foreach (var pod in session.Stack.Pods.Where(p => p.IsExternal))
            {
                sources.Add(($"pod {pod.Name}", Path.Combine(devRoot, Path.GetFileName(pod.Repository!.TrimEnd('/'))), false, false));
            }
        }

        foreach (var (role, path, isFile, isOverride) in sources)
        {
            var folder = isFile ? Path.GetDirectoryName(path)! : path;
            if (!Directory.Exists(folder) || Git.FindWorkTreeMarker(folder) is null)
            {
                commits.Add(new SourceCommit(role, path, null, null, false) { Override = isOverride });
                continue;
            }

            // One git call, not three (every start runs this): the branch headers carry the commit and the branch.
            var status = await git.TryAsync(folder, ["status", "--porcelain=v2", "--branch", "--untracked-files=all", "--", isFile ? Path.GetFileName(path) : "."], cancellationToken);
            var (head, branch, dirty) = Parse(status);
            commits.Add(new SourceCommit(role, path, head, branch, dirty) { Override = isOverride });
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
