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

            var head = (await git.TryAsync(folder, ["rev-parse", "--verify", "--quiet", "HEAD"], cancellationToken))?.Trim();
            var branch = (await git.TryAsync(folder, ["symbolic-ref", "--quiet", "--short", "HEAD"], cancellationToken))?.Trim();
            var status = await git.TryAsync(folder, ["status", "--porcelain=v1", "--untracked-files=all", "--", isFile ? Path.GetFileName(path) : "."], cancellationToken);
            commits.Add(new SourceCommit(role, path, string.IsNullOrEmpty(head) ? null : head, string.IsNullOrEmpty(branch) ? null : branch, !string.IsNullOrWhiteSpace(status)));
        }

        return commits;
    }
}
