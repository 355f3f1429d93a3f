using Slipway.Core.Diagnostics;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Files;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Operations;

public record RepositoryRequest
{
    public bool GitSsh { get; init; }

    /// <summary>Look only: nothing is cloned, pulled or checked out.</summary>
    public bool CheckOnly { get; init; }

    public bool Pull { get; init; }

    /// <summary>The global --dry-run: look (read-only git) and say what would be cloned, pulled or checked out; change nothing.</summary>
    public bool DryRun { get; init; }
}

public sealed record SetupRepositoriesRequest : RepositoryRequest
{
    public string? StackArgument { get; init; }

    public IReadOnlyList<string> Include { get; init; } = [];

    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary><c>repo@branch</c> entries: the ref to check out for those repositories (over the stack's @ref).</summary>
    public IReadOnlyList<string> Branches { get; init; } = [];

    /// <summary>The global --continue-on-error: after a repository fails, set up the others (the command still fails).</summary>
    public bool ContinueOnError { get; init; }
}

/// <summary>One repository and what was done with it.</summary>
public sealed record RepositoryOutcome(RepositoryLocator Locator, string Directory, IReadOnlyList<string> Actions);

/// <summary>
/// <c>setup-repositories</c> and <c>fetch-stack</c> (laconic-so's): clone each repository into
/// <c>&lt;dev root&gt;/&lt;repo&gt;</c> (CERC_REPO_BASE_DIR, default ~/cerc), pull it only when it is on a branch, and
/// check out its ref. A folder there that is not a git repository is an error, never overwritten.
/// </summary>
public sealed class SetupRepositories(SlipwayEnvironment env)
{
    private static readonly TimeSpan NetworkTimeout = TimeSpan.FromMinutes(10);

    public async Task<IReadOnlyList<RepositoryOutcome>> RunAsync(SetupRepositoriesRequest request, CancellationToken cancellationToken)
    {
        if (request.StackArgument is null)
        {
            throw new SlipwayException(FailureReason.InvalidInput, "--stack is required: slipway --stack PATH setup-repositories",
                "Slipway has no built-in list of every repository (laconic-so's repository-list.txt); name the stack whose repos: to set up");
        }

        var files = new DiskHostFiles();
        var diagnostics = new DiagnosticBag();
        var stack = Stack.Load(StackResolver.Resolve(request.StackArgument, env.CurrentDirectory, env.ShippedStackRoots, files), files, diagnostics, podsRequired: false);
        if (stack.Definition.Repos.Count == 0)
        {
            env.Reporter.Warn($"stack {stack.Name} does not define any repositories");
            return [];
        }

        // Everything is checked before git runs: a typo in the last locator or filter costs no clone.
        var locators = stack.Definition.Repos.Select(RepositoryLocator.Parse).ToList();
        foreach (var (option, filters) in new[] { ("--include", request.Include), ("--exclude", request.Exclude), ("--branches", request.Branches.Select(b => b[..Math.Max(0, b.LastIndexOf('@'))]).ToList()) })
        {
            var unmatched = filters.Where(f => !locators.Any(l => l.Matches(f))).ToList();
            if (unmatched.Count > 0)
            {
                throw new SlipwayException(FailureReason.NotFound, $"{option} names {string.Join(", ", unmatched)}, which is not among the stack's repos",
                    "repos: " + string.Join(", ", locators.Select(l => l.FullName)) + " (match the full locator, org/repo or the repo name)");
            }
        }

        var branches = new List<(string Filter, string Ref)>();
        foreach (var entry in request.Branches)
        {
            var at = entry.LastIndexOf('@');
            if (at <= 0 || at == entry.Length - 1) throw new SlipwayException(FailureReason.InvalidInput, $"--branches entry '{entry}' is not repo@branch");
            branches.Add((entry[..at], entry[(at + 1)..]));
        }

        var selected = locators
            .Where(l => (request.Include.Count == 0 || request.Include.Any(l.Matches)) && !request.Exclude.Any(l.Matches))
            .Select(l => branches.LastOrDefault(b => l.Matches(b.Filter)) is { Ref: { } branch } ? l with { Ref = branch } : l)
            .ToList();
        var outcomes = new List<RepositoryOutcome>();
        var failed = new List<string>();
        var firstReason = FailureReason.DeploymentFailed;
        foreach (var locator in selected)
        {
            try
            {
                outcomes.Add(await SetUpAsync(locator, request, cancellationToken));
            }
            catch (SlipwayException e) when (request.ContinueOnError)
            {
                env.Reporter.Warn($"{locator}: {e.Message}{(e.Hint is null ? "" : $" ({e.Hint})")}; --continue-on-error: going on with the next repository");
                if (failed.Count == 0) firstReason = e.Reason;
                failed.Add($"{locator}: {e.Message.Split('\n')[0]}");
            }
        }

        if (failed.Count > 0)
        {
            throw new SlipwayException(firstReason, $"{failed.Count} of {selected.Count} repositories failed: {string.Join("; ", failed)}");
        }

        return outcomes;
    }

    /// <summary>fetch-stack: one repository holding stack definitions, set up the same way.</summary>
    public Task<RepositoryOutcome> FetchStackAsync(string locator, RepositoryRequest request, CancellationToken cancellationToken) =>
        SetUpAsync(RepositoryLocator.Parse(locator), request, cancellationToken);

    /// <summary>The dev root: CERC_REPO_BASE_DIR (or SLIPWAY_REPO_BASE_DIR), a leading ~ expanded; created when missing.</summary>
    public string DevRoot => env.DevRoot;

    private async Task<RepositoryOutcome> SetUpAsync(RepositoryLocator locator, RepositoryRequest request, CancellationToken cancellationToken)
    {
        var git = env.ToolBox.Git;
        var root = DevRoot;
        var directory = Path.Combine(root, locator.DirectoryName);
        var actions = new List<string>();
        if (File.Exists(directory) || (Directory.Exists(directory) && !await IsRepositoryRootAsync(git, directory, cancellationToken)))
        {
            throw new SlipwayException(FailureReason.Conflict, $"{directory} does not contain a valid git repository",
                $"it is where {locator.FullName} is cloned: move it away, or point CERC_REPO_BASE_DIR at another dev root");
        }

        if (!Directory.Exists(directory))
        {
            if (request.CheckOnly)
            {
                actions.Add("not present (--check-only: not cloned)");
                return Report(locator, directory, actions);
            }

            var url = request.GitSsh ? locator.SshUrl : locator.HttpsUrl;
            if (request.DryRun)
            {
                actions.Add($"Dry run: would run: git clone -- {url} {directory}");
                if (locator.Ref is { } wanted) actions.Add($"would check out {wanted} unless the clone is at it");
                return Report(locator, directory, actions);
            }

            Directory.CreateDirectory(root);
            await env.Reporter.StepAsync($"clone {url}", _ => Checked(git.RunAsync(root, ["clone", "--", url, directory], cancellationToken, NetworkTimeout), $"cloning {url}"));
            actions.Add($"cloned {url}");
        }
        else
        {
            actions.Add("present");
            if (request.Pull && !request.CheckOnly)
            {
                var branch = await git.TryAsync(directory, ["symbolic-ref", "--quiet", "--short", "HEAD"], cancellationToken);
                if (branch is not null && request.DryRun)
                {
                    actions.Add($"Dry run: would run: git pull --ff-only (on {branch.Trim()})");
                }
                else if (branch is not null)
                {
                    await env.Reporter.StepAsync($"pull {locator.DirectoryName} ({branch.Trim()})", _ =>
                        Checked(git.RunAsync(directory, ["pull", "--ff-only"], cancellationToken, NetworkTimeout), $"pulling {directory}"));
                    actions.Add($"pulled {branch.Trim()}");
                }
                else
                {
                    actions.Add("skipping pull because this repo is not on a branch");
                }
            }
        }

        if (locator.Ref is { } reference)
        {
            var current = await CurrentRefsAsync(git, directory, cancellationToken);
            if (current.Contains(reference))
            {
                actions.Add($"at {reference}");
            }
            else if (request.CheckOnly)
            {
                actions.Add($"not at {reference} (--check-only: not checked out)");
            }
            else if (request.DryRun)
            {
                actions.Add($"Dry run: would run: git checkout {reference} --");
            }
            else
            {
                await Checked(git.RunAsync(directory, ["checkout", reference, "--"], cancellationToken, NetworkTimeout), $"checking out {reference} in {directory}");
                actions.Add($"checked out {reference}");
            }
        }

        return Report(locator, directory, actions);
    }

    private RepositoryOutcome Report(RepositoryLocator locator, string directory, List<string> actions)
    {
        env.Reporter.Info($"{locator}: {directory}: {string.Join(", ", actions)}");
        return new RepositoryOutcome(locator, directory, actions);
    }

    /// <summary>The branch, the tags pointing at HEAD and HEAD's commit (full and short): what "already at the ref" compares with.</summary>
    private static async Task<HashSet<string>> CurrentRefsAsync(Git git, string directory, CancellationToken cancellationToken)
    {
        var refs = new HashSet<string>(StringComparer.Ordinal);
        if (await git.TryAsync(directory, ["symbolic-ref", "--quiet", "--short", "HEAD"], cancellationToken) is { } branch) refs.Add(branch.Trim());
        if (await git.TryAsync(directory, ["tag", "--points-at", "HEAD"], cancellationToken) is { } tags)
        {
            refs.UnionWith(tags.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        if (await git.TryAsync(directory, ["rev-parse", "HEAD"], cancellationToken) is { } head)
        {
            var sha = head.Trim();
            refs.Add(sha);
            for (var length = 7; length < sha.Length; length++) refs.Add(sha[..length]);
        }

        return refs;
    }

    /// <summary>True when <paramref name="directory"/> is the top of a git work tree (not merely inside one, such as the dev root's own repository).</summary>
    private static async Task<bool> IsRepositoryRootAsync(Git git, string directory, CancellationToken cancellationToken) =>
        await git.TryAsync(directory, ["rev-parse", "--show-toplevel"], cancellationToken) is { } top
        && Path.GetFullPath(top.Trim()).TrimEnd('/') == Path.GetFullPath(directory).TrimEnd('/');

    private static async Task<bool> Checked(Task<Processes.ProcessResult> run, string what)
    {
        var result = await run;
        if (!result.Succeeded)
        {
            throw new SlipwayException(FailureReason.DeploymentFailed, $"git failed {what} (exit code {result.ExitCode}): {result.Tail()}");
        }

        return true;
    }
}
