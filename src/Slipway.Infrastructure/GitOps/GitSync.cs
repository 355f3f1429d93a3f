using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.GitOps;

/// <summary>
/// The git half of GitOps restart (laconic-so's restart pulls too): <c>git pull --ff-only</c> of the stack's
/// repository and of the repository holding the git-tracked spec, each once. It fetches every repository and checks
/// that each can fast-forward without touching local changes before it moves any of them, so a failing pull (no
/// network, diverged branch, conflicting local edits) stops the run before anything changes.
/// </summary>
internal sealed class GitSync(Git git)
{
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The sources of a deployment: its stack-source, the folder of its spec-source (when recorded) and, with a dev root,
    /// the repository of each pod that comes from one (<c>&lt;dev root&gt;/&lt;repo&gt;</c>, where deploy create read its
    /// compose file), role <c>pod NAME</c>. Like setup-repositories --pull, one not on a branch (checked out at a tag
    /// or commit) is left where it is.
    /// </summary>
    /// <param name="stackSource">In place of deployment.yml's stack-source (restart --stack-path).</param>
    /// <param name="specSource">In place of deployment.yml's spec-source (restart --spec-file).</param>
    public static IReadOnlyList<GitSource> Sources(DeploymentSession deployment, string? devRoot = null, string? stackSource = null, string? specSource = null)
    {
        var sources = new List<GitSource> { new("stack", stackSource ?? deployment.Identity.StackSource) };
        if ((specSource ?? deployment.Identity.SpecSource) is { } spec)
        {
            sources.Add(new("spec", System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(spec))!));
        }

        if (devRoot is null) return sources;
        foreach (var pod in deployment.Stack.Pods.Where(p => p.IsExternal))
        {
            sources.Add(new($"pod {pod.Name}", System.IO.Path.Combine(devRoot, System.IO.Path.GetFileName(pod.Repository!.TrimEnd('/')))));
        }

        return sources;
    }

    /// <summary>
    /// Fast-forwards the repository of each source to its upstream. A source outside git, or on a branch without an
    /// upstream, is reported and left alone. Throws <see cref="SlipwayException"/> with git's message when a fetch
    /// fails, a branch has diverged, or incoming changes would overwrite local edits; no repository has moved then.
    /// </summary>
    /// <param name="specCommit">
    /// A commit the repository of the "spec" source (and any source in the same repository) must be moved to, fast-forward
    /// only, instead of its upstream: what a fleet chose at prepare, so an upstream that moves mid-rollout cannot change what
    /// later hosts get. Fetched only when it is not already in the repository; a HEAD past it is refused.
    /// </param>
    public async Task<GitPullReport> PullAsync(IReadOnlyList<GitSource> sources, CancellationToken cancellationToken, string? specCommit = null)
    {
        var results = new List<GitRepositoryPull>();
        var repositories = new List<(string TopLevel, List<string> Roles)>();
        foreach (var source in sources)
        {
            var folder = System.IO.Path.GetFullPath(source.Path);
            if (!Directory.Exists(folder) || Git.FindWorkTreeMarker(folder) is null)
            {
                results.Add(new GitRepositoryPull(folder, [source.Role], GitPullOutcome.NotARepository));
                continue;
            }

            var topLevel = (await GitAsync(folder, ["rev-parse", "--show-toplevel"], "find the repository of " + folder, cancellationToken)).Trim();
            var known = repositories.FindIndex(r => r.TopLevel == topLevel);
            if (known >= 0)
            {
                if (!repositories[known].Roles.Contains(source.Role)) repositories[known].Roles.Add(source.Role);
            }
            else
            {
                repositories.Add((topLevel, [source.Role]));
            }
        }

        // 1. Where each repository stands; fetch them all before any moves.
        var plans = new List<Plan>();
        foreach (var (topLevel, roles) in repositories)
        {
            if (specCommit is not null && roles.Contains("spec"))
            {
                plans.Add(await PinnedAsync(topLevel, roles, specCommit, cancellationToken));
                continue;
            }

            var branch = await TryGitAsync(topLevel, ["symbolic-ref", "--quiet", "--short", "HEAD"], cancellationToken);
            if (branch is null)
            {
                results.Add(new GitRepositoryPull(topLevel, roles, GitPullOutcome.NoUpstream, Note: "detached HEAD (no branch to pull)"));
                continue;
            }

            var upstream = await TryGitAsync(topLevel, ["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}"], cancellationToken);
            if (upstream is null)
            {
                results.Add(new GitRepositoryPull(topLevel, roles, GitPullOutcome.NoUpstream, branch, Note: $"branch {branch} has no upstream"));
                continue;
            }

            var before = (await GitAsync(topLevel, ["rev-parse", "HEAD"], "read HEAD", cancellationToken)).Trim();
            await GitAsync(topLevel, ["fetch", "--quiet"], $"fetch {upstream}", cancellationToken, FetchTimeout);
            var incoming = (await GitAsync(topLevel, ["rev-parse", "@{upstream}"], "read " + upstream, cancellationToken)).Trim();
            plans.Add(new Plan(topLevel, roles, branch, upstream, before, incoming));
        }

        // 2. Every repository must fast-forward cleanly before any of them moves.
        var moves = new List<Plan>();
        foreach (var plan in plans)
        {
            if (plan.Before == plan.Incoming)
            {
                results.Add(plan.Result(GitPullOutcome.UpToDate, plan.Before));
                continue;
            }

            if (!await IsAncestorAsync(plan.TopLevel, "HEAD", plan.Target, cancellationToken))
            {
                if (plan.Pinned)
                {
                    throw new SlipwayException(FailureReason.DeploymentFailed,
                        $"{plan.TopLevel} is at {Short(plan.Before)}, which is not an ancestor of the pinned commit {Short(plan.Incoming)}: it cannot fast-forward there; nothing was pulled and the deployment is unchanged",
                        $"put the repository back on the pinned commit's history (git -C {plan.TopLevel} log), then run again");
                }

                if (await IsAncestorAsync(plan.TopLevel, "@{upstream}", "HEAD", cancellationToken))
                {
                    results.Add(plan.Result(GitPullOutcome.UpToDate, plan.Before, "local commits not on the upstream yet"));
                    continue;
                }

                throw new SlipwayException(FailureReason.SyncRefused,
                    $"git pull --ff-only is not possible in {plan.TopLevel}: branch {plan.Branch} and {plan.Upstream} have diverged; nothing was pulled and the deployment is unchanged",
                    $"reconcile the branch by hand (git -C {plan.TopLevel} pull --rebase, or merge), then run restart again");
            }

            var touched = await OverwrittenLocalChangesAsync(plan.TopLevel, plan.Target, cancellationToken);
            if (touched.Count > 0)
            {
                throw new SlipwayException(FailureReason.SyncRefused,
                    $"git pull in {plan.TopLevel} would overwrite local changes to {string.Join(", ", touched)}; nothing was pulled and the deployment is unchanged",
                    $"commit or stash them (git -C {plan.TopLevel} stash), then run restart again");
            }

            moves.Add(plan);
        }

        // 3. Move. A failure here (rare after the checks) names what has already moved.
        var moved = new List<string>();
        foreach (var plan in moves)
        {
            var merge = await git.RunAsync(plan.TopLevel, ["merge", "--ff-only", "--quiet", plan.Target], cancellationToken);
            if (!merge.Succeeded)
            {
                var already = moved.Count == 0 ? "no repository was changed" : $"already fast-forwarded: {string.Join(", ", moved)}";
                throw new SlipwayException(FailureReason.SyncRefused,
                    $"git merge --ff-only {plan.Upstream} failed in {plan.TopLevel} ({already}; the deployment is unchanged):\n{merge.Tail()}",
                    "fix the repository, then run restart again");
            }

            moved.Add(plan.TopLevel);
            var after = (await GitAsync(plan.TopLevel, ["rev-parse", "HEAD"], "read HEAD", cancellationToken)).Trim();
            results.Add(plan.Result(GitPullOutcome.Updated, after));
        }

        // Report in the order the sources were given.
        var order = sources.Select(s => s.Role).ToList();
        return new GitPullReport(results.OrderBy(r => r.Roles.Min(role => order.IndexOf(role))).ToList());
    }

    /// <summary>The spec's repository pinned to a commit: fetched only when the commit is missing, and its branch (or detached HEAD) fast-forwarded to it.</summary>
    private async Task<Plan> PinnedAsync(string topLevel, List<string> roles, string commit, CancellationToken cancellationToken)
    {
        var branch = await TryGitAsync(topLevel, ["symbolic-ref", "--quiet", "--short", "HEAD"], cancellationToken) ?? "(detached)";
        var before = (await GitAsync(topLevel, ["rev-parse", "HEAD"], "read HEAD", cancellationToken)).Trim();
        if (await TryGitAsync(topLevel, ["rev-parse", "--verify", "--quiet", commit + "^{commit}"], cancellationToken) is null)
        {
            await GitAsync(topLevel, ["fetch", "--quiet"], "fetch the pinned commit " + Short(commit), cancellationToken, FetchTimeout);
        }

        var target = await TryGitAsync(topLevel, ["rev-parse", "--verify", "--quiet", commit + "^{commit}"], cancellationToken)
            ?? throw new SlipwayException(FailureReason.DeploymentFailed,
                $"the pinned commit {Short(commit)} is not in {topLevel}, even after a fetch; nothing was pulled and the deployment is unchanged",
                "push the commit to the repository's remote, then run again");
        return new Plan(topLevel, roles, branch, "commit " + Short(target), before, target, Pinned: true);
    }

    private static string Short(string commit) => commit.Length > 12 ? commit[..12] : commit;

    /// <summary>
    /// <c>plan --fetch</c>: fetches each source's repository (remote-tracking refs only: no branch, work tree or file of
    /// D moves) and lists the commits the upstream has that HEAD has not, and the files they change. A fetch that fails
    /// is reported on its repository, not thrown: plan still shows the rest.
    /// </summary>
    public async Task<IReadOnlyList<IncomingChanges>> FetchAsync(IReadOnlyList<GitSource> sources, CancellationToken cancellationToken)
    {
        var results = new List<IncomingChanges>();
        var repositories = new List<(string TopLevel, List<string> Roles)>();
        foreach (var source in sources)
        {
            var folder = System.IO.Path.GetFullPath(source.Path);
            if (!Directory.Exists(folder) || Git.FindWorkTreeMarker(folder) is null)
            {
                results.Add(new IncomingChanges(folder, [source.Role], null, [], [], "not in a git work tree: nothing to fetch"));
                continue;
            }

            var topLevel = (await GitAsync(folder, ["rev-parse", "--show-toplevel"], "find the repository of " + folder, cancellationToken)).Trim();
            if (repositories.FirstOrDefault(r => r.TopLevel == topLevel) is { TopLevel: not null } known) known.Roles.Add(source.Role);
            else repositories.Add((topLevel, [source.Role]));
        }

        foreach (var (topLevel, roles) in repositories)
        {
            var branch = await TryGitAsync(topLevel, ["symbolic-ref", "--quiet", "--short", "HEAD"], cancellationToken);
            var upstream = branch is null ? null : await TryGitAsync(topLevel, ["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}"], cancellationToken);
            if (upstream is null)
            {
                results.Add(new IncomingChanges(topLevel, roles, null, [], [], branch is null ? "detached HEAD: nothing to fetch" : $"branch {branch} has no upstream: nothing to fetch"));
                continue;
            }

            try
            {
                await GitAsync(topLevel, ["fetch", "--quiet"], $"fetch {upstream}", cancellationToken, FetchTimeout);
                var commits = (await GitAsync(topLevel, ["log", "--format=%h %s", "HEAD..@{upstream}"], "list incoming commits", cancellationToken))
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var files = (await GitAsync(topLevel, ["diff", "--name-only", "-z", "HEAD...@{upstream}"], "list incoming changes", cancellationToken))
                    .Split('\0', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                results.Add(new IncomingChanges(topLevel, roles, upstream, commits, files, null));
            }
            catch (SlipwayException e)
            {
                results.Add(new IncomingChanges(topLevel, roles, upstream, [], [], e.Message));
            }
        }

        var order = sources.Select(s => s.Role).ToList();
        return [.. results.OrderBy(r => r.Roles.Min(role => order.IndexOf(role)))];
    }

    private sealed record Plan(string TopLevel, List<string> Roles, string Branch, string Upstream, string Before, string Incoming, bool Pinned = false)
    {
        /// <summary>Where the repository moves: the pinned commit, else the upstream.</summary>
        public string Target => Pinned ? Incoming : "@{upstream}";

        public GitRepositoryPull Result(GitPullOutcome outcome, string after, string? note = null) =>
            new(TopLevel, Roles, outcome, Branch, Upstream, Before, after, note);
    }

    /// <summary>Files changed between HEAD and the upstream that also have local (uncommitted or untracked) changes.</summary>
    private async Task<IReadOnlyList<string>> OverwrittenLocalChangesAsync(string topLevel, string target, CancellationToken cancellationToken)
    {
        var status = await GitAsync(topLevel, ["status", "--porcelain=v1", "-z", "--untracked-files=all"], "read the work tree status", cancellationToken);
        var local = new HashSet<string>(StringComparer.Ordinal);
        var fields = status.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < fields.Length; i++)
        {
            if (fields[i].Length < 4) continue;
            local.Add(fields[i][3..]);
            // A rename or copy entry is followed by the original path.
            if (fields[i][0] is 'R' or 'C' && i + 1 < fields.Length) local.Add(fields[++i]);
        }

        if (local.Count == 0) return [];
        var incoming = await GitAsync(topLevel, ["diff", "--name-only", "-z", "HEAD", target], "list incoming changes", cancellationToken);
        return incoming.Split('\0', StringSplitOptions.RemoveEmptyEntries).Where(local.Contains).Order(StringComparer.Ordinal).ToList();
    }

    private async Task<bool> IsAncestorAsync(string topLevel, string ancestor, string descendant, CancellationToken cancellationToken)
    {
        var result = await git.RunAsync(topLevel, ["merge-base", "--is-ancestor", ancestor, descendant], cancellationToken);
        if (result.ExitCode is 0 or 1) return result.ExitCode == 0;
        throw Failure(topLevel, "compare HEAD with its upstream", result);
    }

    private async Task<string> GitAsync(string directory, IReadOnlyList<string> args, string what, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var result = await git.RunAsync(directory, args, cancellationToken, timeout);
        return result.Succeeded ? result.StandardOutput : throw Failure(directory, what, result);
    }

    /// <summary>Trimmed stdout, or null when the command fails or prints nothing (a missing git still throws: sync needs it).</summary>
    private async Task<string?> TryGitAsync(string directory, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var result = await git.RunAsync(directory, args, cancellationToken);
        return result.Succeeded && result.StandardOutput.Trim() is { Length: > 0 } text ? text : null;
    }

    private static SlipwayException Failure(string directory, string what, ProcessResult result) =>
        new(FailureReason.SyncRefused,
            $"git could not {what} in {directory} ({ToolFailure.How(result)}); nothing was pulled and the deployment is unchanged:\n{result.Tail()}",
            "fix the repository or its remote (try the same git command by hand), then run restart again");
}
