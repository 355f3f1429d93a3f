using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.Repositories;

/// <summary>
/// setup-repositories and fetch-stack with real git against local bare repositories. The test's own
/// GIT_CONFIG_GLOBAL maps https://github.com/, https://git.vdb.to/ and git@github.com: to them with
/// url.&lt;base&gt;.insteadOf, so Slipway builds the real URLs and git alone knows they are local.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class SetupRepositoriesTests
{
    [Fact]
    public async Task Repositories_are_cloned_pulled_only_on_a_branch_checked_out_at_their_ref_and_filtered_by_sensible_names()
    {
        using var ws = new TempWorkspace();
        await using var git = await LocalGitHosts.StartAsync(ws);
        var hosting = await git.RepositoryAsync("github.com", "cerc-io", "hosting", new() { ["README"] = "hosting v1\n" });
        var sdk = await git.RepositoryAsync("git.vdb.to", "cerc-io", "registry-sdk", new() { ["VERSION"] = "1\n" });
        await sdk.GitAsync("tag", "v1");
        await sdk.GitAsync("push", "--quiet", "origin", "v1");
        sdk.Write("VERSION", "2\n");
        await sdk.CommitAndPushAsync("two");
        ws.WriteFile("stacks/two/stack.yml", "version: \"1.0\"\nname: two\nrepos:\n  - cerc-io/hosting\n  - git.vdb.to/cerc-io/registry-sdk@v1\npods: []\n");
        ws.WriteFile("stacks/none/stack.yml", "version: \"1.0\"\nname: none\npods: []\n");
        var stack = ws.Combine("stacks", "two");
        string Dev(params string[] parts) => Path.Combine([git.DevRoot, .. parts]);

        // org/repo selects github.com/cerc-io/hosting (laconic-so's full-locator match would have matched nothing).
        var first = await SlipwayCommand.RunAsync("--stack", stack, "setup-repositories", "--include", "cerc-io/hosting");
        Assert.Equal("hosting v1\n", File.ReadAllText(Dev("hosting", "README")));
        Assert.False(Directory.Exists(Dev("registry-sdk")));
        Assert.Equal("https://github.com/cerc-io/hosting", await GitOutput(Dev("hosting"), "config", "remote.origin.url"));
        Assert.Contains("github.com/cerc-io/hosting: " + Dev("hosting") + ": cloned https://github.com/cerc-io/hosting", first.StandardError);

        // All of them: the ref is checked out (detached at v1).
        var all = await SlipwayCommand.RunAsync("--stack", stack, "setup-repositories");
        Assert.Equal("1\n", File.ReadAllText(Dev("registry-sdk", "VERSION")));
        Assert.Contains("git.vdb.to/cerc-io/registry-sdk@v1: " + Dev("registry-sdk") + ": cloned https://git.vdb.to/cerc-io/registry-sdk, checked out v1", all.StandardError);
        Assert.Contains("github.com/cerc-io/hosting: " + Dev("hosting") + ": present", all.StandardError);

        // --pull pulls the repository on a branch and skips the detached one; --check-only changes nothing.
        hosting.Write("README", "hosting v2\n");
        await hosting.CommitAndPushAsync("v2");
        var checkOnly = await SlipwayCommand.RunAsync("--stack", stack, "setup-repositories", "--pull", "--check-only");
        Assert.Equal("hosting v1\n", File.ReadAllText(Dev("hosting", "README")));
        Assert.Contains("at v1", checkOnly.StandardError);
        var pull = await SlipwayCommand.RunAsync("--stack", stack, "setup-repositories", "--pull");
        Assert.Equal("hosting v2\n", File.ReadAllText(Dev("hosting", "README")));
        Assert.Contains("present, pulled main", pull.StandardError);
        Assert.Contains("present, skipping pull because this repo is not on a branch, at v1", pull.StandardError);

        // --branches overrides the stack's ref; --exclude leaves a repository alone.
        var branches = await SlipwayCommand.RunAsync("--stack", stack, "setup-repositories", "--branches", "registry-sdk@main", "--exclude", "github.com/cerc-io/hosting");
        Assert.Equal("2\n", File.ReadAllText(Dev("registry-sdk", "VERSION")));
        Assert.DoesNotContain("cerc-io/hosting", branches.StandardError);

        // A filter that names no repository is an error, not a silent no-op; a stack without repos warns and succeeds.
        var typo = await SlipwayCommand.RunAsync(Cli.ExitCodes.NotFound, "--stack", stack, "setup-repositories", "--include", "cerc-io/hostin");
        Assert.Contains("--include names cerc-io/hostin, which is not among the stack's repos", typo.StandardError);
        var none = await SlipwayCommand.RunAsync("--stack", ws.Combine("stacks", "none"), "setup-repositories");
        Assert.Contains("stack none does not define any repositories", none.StandardError);

        // A folder in the way that is not a git repository is an error, and it is left as it was.
        ws.WriteFile("cerc/plain/keep.txt", "mine\n");
        await git.RepositoryAsync("github.com", "cerc-io", "plain", new() { ["x"] = "x\n" });
        var plain = await SlipwayCommand.RunAsync(Cli.ExitCodes.Conflict, "fetch-stack", "cerc-io/plain");
        Assert.Contains($"{Dev("plain")} does not contain a valid git repository", plain.StandardError);
        Assert.Equal("mine\n", File.ReadAllText(Dev("plain", "keep.txt")));

        // fetch-stack over SSH builds git@host:org/repo.
        await git.RepositoryAsync("github.com", "cerc-io", "my-stacks", new() { ["stacks/s/stack.yml"] = "name: s\n" });
        var check = await SlipwayCommand.RunAsync("fetch-stack", "--git-ssh", "--check-only", "cerc-io/my-stacks");
        Assert.Contains("not present (--check-only: not cloned)", check.StandardError);
        Assert.False(Directory.Exists(Dev("my-stacks")));
        await SlipwayCommand.RunAsync("fetch-stack", "--git-ssh", "cerc-io/my-stacks");
        Assert.True(File.Exists(Dev("my-stacks", "stacks", "s", "stack.yml")));
        Assert.Equal("git@github.com:cerc-io/my-stacks", await GitOutput(Dev("my-stacks"), "config", "remote.origin.url"));
    }

    [Fact]
    public async Task Dry_run_says_what_it_would_clone_pull_and_check_out_and_changes_nothing_and_continue_on_error_sets_up_the_rest()
    {
        using var ws = new TempWorkspace();
        await using var git = await LocalGitHosts.StartAsync(ws);
        var hosting = await git.RepositoryAsync("github.com", "cerc-io", "hosting", new() { ["README"] = "hosting v1\n" });
        var sdk = await git.RepositoryAsync("github.com", "cerc-io", "sdk", new() { ["VERSION"] = "1\n" });
        await sdk.GitAsync("tag", "v1");
        await sdk.GitAsync("push", "--quiet", "origin", "v1");
        ws.WriteFile("stacks/s/stack.yml", "version: \"1.0\"\nname: s\nrepos:\n  - cerc-io/hosting\n  - cerc-io/sdk@v1\n  - cerc-io/plain\npods: []\n");
        var stack = ws.Combine("stacks", "s");
        string Dev(params string[] parts) => Path.Combine([git.DevRoot, .. parts]);

        // Nothing cloned yet: a dry run names each clone and checkout, and creates not even the dev root.
        var dry = await SlipwayCommand.RunAsync("--dry-run", "--stack", stack, "setup-repositories", "--exclude", "plain");
        Assert.Contains($"Dry run: would run: git clone -- https://github.com/cerc-io/hosting {Dev("hosting")}", dry.StandardError);
        Assert.Contains($"Dry run: would run: git clone -- https://github.com/cerc-io/sdk {Dev("sdk")}, would check out v1", dry.StandardError);
        Assert.False(Directory.Exists(git.DevRoot));
        var fetch = await SlipwayCommand.RunAsync("--dry-run", "fetch-stack", "--git-ssh", "cerc-io/hosting");
        Assert.Contains($"Dry run: would run: git clone -- git@github.com:cerc-io/hosting {Dev("hosting")}", fetch.StandardError);
        Assert.False(Directory.Exists(git.DevRoot));

        // A folder in the way of one repository: --continue-on-error sets up the others and still fails, naming it.
        ws.WriteFile("cerc/plain/keep.txt", "mine\n");
        var partial = await SlipwayCommand.RunAsync(Cli.ExitCodes.Conflict, "--continue-on-error", "--stack", stack, "setup-repositories");
        Assert.Contains("1 of 3 repositories failed: github.com/cerc-io/plain: " + Dev("plain") + " does not contain a valid git repository", partial.StandardError);
        Assert.Equal("hosting v1\n", File.ReadAllText(Dev("hosting", "README")));
        Assert.Equal("1\n", File.ReadAllText(Dev("sdk", "VERSION")));
        Assert.Equal("mine\n", File.ReadAllText(Dev("plain", "keep.txt")));
        var stops = await SlipwayCommand.RunAsync(Cli.ExitCodes.Conflict, "--stack", stack, "setup-repositories", "--include", "plain,hosting", "--pull");
        Assert.DoesNotContain("repositories failed", stops.StandardError);

        // Present repositories: the dry run reads where they are and names the pull and the checkout it would run.
        hosting.Write("README", "hosting v2\n");
        await hosting.CommitAndPushAsync("v2");
        await GitOutput(Dev("sdk"), "checkout", "--quiet", "main");
        await GitOutput(Dev("sdk"), "commit", "--quiet", "--allow-empty", "-m", "past v1");
        var head = await GitOutput(Dev("hosting"), "rev-parse", "HEAD");
        var present = await SlipwayCommand.RunAsync("--dry-run", "--stack", stack, "setup-repositories", "--pull", "--exclude", "plain");
        Assert.Contains($"{Dev("hosting")}: present, Dry run: would run: git pull --ff-only (on main)", present.StandardError);
        Assert.Contains($"{Dev("sdk")}: present, Dry run: would run: git pull --ff-only (on main), Dry run: would run: git checkout v1 --", present.StandardError);
        Assert.Equal(head, await GitOutput(Dev("hosting"), "rev-parse", "HEAD"));
        Assert.Equal("main", await GitOutput(Dev("sdk"), "symbolic-ref", "--short", "HEAD"));
    }

    private static async Task<string> GitOutput(string directory, params string[] args)
    {
        var result = await new Slipway.Infrastructure.Processes.SystemProcessRunner().RunAsync(new Slipway.Infrastructure.Processes.ProcessSpec("git", ["-C", directory, .. args]));
        return result.ShouldSucceed().StandardOutput.Trim();
    }
}

/// <summary>
/// Local stand-ins for git hosts: bare repositories under &lt;ws&gt;/remotes/&lt;host&gt;/&lt;org&gt;/&lt;repo&gt;, a GIT_CONFIG_GLOBAL with
/// insteadOf rules for https://&lt;host&gt;/ and git@&lt;host&gt;:, and CERC_REPO_BASE_DIR = &lt;ws&gt;/cerc, for this process while
/// it lives: its users are in <see cref="ProcessEnvironmentCollection"/>, one at a time.
/// </summary>
public sealed class LocalGitHosts : IAsyncDisposable
{
    private static readonly string[] Variables = ["GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM", "CERC_REPO_BASE_DIR"];
    private readonly Dictionary<string, string?> _previous = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
    private readonly TempWorkspace _ws;

    private LocalGitHosts(TempWorkspace ws) => _ws = ws;

    public string DevRoot => _ws.Combine("cerc");

    public static Task<LocalGitHosts> StartAsync(TempWorkspace ws)
    {
        var hosts = new LocalGitHosts(ws);
        var remotes = ws.Combine("remotes");
        var config = string.Concat(new[] { "github.com", "git.vdb.to", "gitea.com" }.Select(h =>
            $"[url \"{remotes}/{h}/\"]\n\tinsteadOf = https://{h}/\n\tinsteadOf = git@{h}:\n"));
        ws.WriteFile("gitconfig", config + "[user]\n\tname = Slipway Tests\n\temail = tests@slipway.invalid\n[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n");
        Environment.SetEnvironmentVariable("GIT_CONFIG_GLOBAL", ws.Combine("gitconfig"));
        Environment.SetEnvironmentVariable("GIT_CONFIG_NOSYSTEM", "1");
        Environment.SetEnvironmentVariable("CERC_REPO_BASE_DIR", hosts.DevRoot);
        return Task.FromResult(hosts);
    }

    /// <summary>A bare repository at remotes/host/org/name holding <paramref name="files"/>; returns its author clone (push to publish).</summary>
    public async Task<GitTestRepository> RepositoryAsync(string host, string org, string name, Dictionary<string, string> files)
    {
        var parent = _ws.Combine("remotes", host, org);
        Directory.CreateDirectory(parent);
        var author = await GitTestRepository.CreateAuthorAsync(parent, name, files);
        Directory.Move(Path.Combine(parent, name + ".git"), Path.Combine(parent, name));
        await author.GitAsync("remote", "set-url", "origin", Path.Combine(parent, name));
        return author;
    }

    public ValueTask DisposeAsync()
    {
        foreach (var (name, value) in _previous) Environment.SetEnvironmentVariable(name, value);
        return ValueTask.CompletedTask;
    }
}
