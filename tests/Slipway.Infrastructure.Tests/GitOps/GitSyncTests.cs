using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.GitOps;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Tests.GitOps;

/// <summary>GitSync against real git repositories with local bare remotes (fast, no network).</summary>
public sealed class GitSyncTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();
    private readonly GitSync _sync = new(new Git(new SystemProcessRunner()));

    public void Dispose() => _workspace.Dispose();

    private static readonly Dictionary<string, string> OpsFiles = new()
    {
        ["deployments/shop/spec.yml"] = "stack: ../../stacks/shop\nconfig:\n  GREETING: one\n",
        ["stacks/shop/stack.yml"] = "name: shop\n",
    };

    /// <summary>An author clone and a deploy-side checkout of the same operator repository.</summary>
    private async Task<(GitTestRepository Author, GitTestRepository Checkout)> OpsRepoAsync(string name = "ops")
    {
        var author = await GitTestRepository.CreateAuthorAsync(_workspace.Path, name, OpsFiles);
        var checkout = await GitTestRepository.CloneAsync(await author.RemoteAsync(), _workspace.Combine(name + "-checkout"));
        return (author, checkout);
    }

    private static GitSource[] Sources(GitTestRepository checkout) =>
        [new("stack", checkout.Combine("stacks", "shop")), new("spec", checkout.Combine("deployments", "shop"))];

    [Fact]
    public async Task Stack_and_spec_in_one_repository_are_pulled_once_and_fast_forwarded()
    {
        var (author, checkout) = await OpsRepoAsync();
        var before = await checkout.HeadAsync();
        author.Write("deployments/shop/spec.yml", "stack: ../../stacks/shop\nconfig:\n  GREETING: two\n");
        var pushed = await author.CommitAndPushAsync("greeting two");

        var report = await _sync.PullAsync(Sources(checkout), CancellationToken.None);

        var repo = Assert.Single(report.Repositories);
        Assert.Equal(GitPullOutcome.Updated, repo.Outcome);
        Assert.Equal(["stack", "spec"], repo.Roles);
        Assert.Equal(checkout.Path, repo.Path);
        Assert.Equal((before, pushed), (repo.Before, repo.After));
        Assert.Equal("main", repo.Branch);
        Assert.Equal("origin/main", repo.Upstream);
        Assert.True(report.Changed);
        Assert.Equal(pushed, await checkout.HeadAsync());
        Assert.Contains("GREETING: two", checkout.Read("deployments/shop/spec.yml"));
        Assert.Equal($"stack+spec {checkout.Path}: main fast-forwarded {before[..12]} -> {pushed[..12]} from origin/main", repo.Describe());
    }

    [Fact]
    public async Task A_pinned_commit_moves_the_spec_repository_exactly_there_even_when_the_upstream_moved_on()
    {
        var (author, checkout) = await OpsRepoAsync();
        var before = await checkout.HeadAsync();
        author.Write("deployments/shop/spec.yml", "stack: ../../stacks/shop\nconfig:\n  GREETING: two\n");
        var pinned = await author.CommitAndPushAsync("greeting two");
        author.Write("deployments/shop/spec.yml", "stack: ../../stacks/shop\nconfig:\n  GREETING: three\n");
        await author.CommitAndPushAsync("greeting three (pushed mid-rollout)");

        var repo = Assert.Single((await _sync.PullAsync(Sources(checkout), CancellationToken.None, pinned)).Repositories);

        Assert.Equal(GitPullOutcome.Updated, repo.Outcome);
        Assert.Equal((before, pinned), (repo.Before, repo.After));
        Assert.Equal(pinned, await checkout.HeadAsync());
        Assert.Contains("GREETING: two", checkout.Read("deployments/shop/spec.yml"));
        Assert.Equal($"stack+spec {checkout.Path}: main fast-forwarded {before[..12]} -> {pinned[..12]} from commit {pinned[..12]}", repo.Describe());
    }

    [Fact]
    public async Task A_pinned_commit_behind_head_is_refused_and_nothing_moves()
    {
        var (author, checkout) = await OpsRepoAsync();
        var old = await checkout.HeadAsync();
        author.Write("deployments/shop/spec.yml", "stack: ../../stacks/shop\nconfig:\n  GREETING: two\n");
        var pushed = await author.CommitAndPushAsync("greeting two");
        await _sync.PullAsync(Sources(checkout), CancellationToken.None);

        var error = await Assert.ThrowsAsync<SlipwayException>(() => _sync.PullAsync(Sources(checkout), CancellationToken.None, old));

        Assert.Contains("not an ancestor of the pinned commit", error.Message);
        Assert.Equal(pushed, await checkout.HeadAsync());
    }

    [Fact]
    public async Task A_repository_with_nothing_new_is_reported_up_to_date()
    {
        var (_, checkout) = await OpsRepoAsync();

        var report = await _sync.PullAsync(Sources(checkout), CancellationToken.None);

        Assert.Equal(GitPullOutcome.UpToDate, Assert.Single(report.Repositories).Outcome);
        Assert.False(report.Changed);
    }

    [Fact]
    public async Task Folders_outside_git_are_reported_and_git_is_never_run()
    {
        var runner = new FakeProcessRunner { Strict = true };
        var folder = _workspace.Combine("plain");
        Directory.CreateDirectory(folder);

        var report = await new GitSync(new Git(runner)).PullAsync([new("stack", folder), new("spec", _workspace.Combine("missing"))], CancellationToken.None);

        Assert.All(report.Repositories, r => Assert.Equal(GitPullOutcome.NotARepository, r.Outcome));
        Assert.Equal(2, report.Repositories.Count);
        Assert.Empty(runner.Calls);
    }

    [Fact]
    public async Task A_branch_without_upstream_is_reported_and_left_alone()
    {
        var (_, checkout) = await OpsRepoAsync();
        await checkout.GitAsync("checkout", "--quiet", "-b", "local-only");

        var repo = Assert.Single((await _sync.PullAsync(Sources(checkout), CancellationToken.None)).Repositories);

        Assert.Equal(GitPullOutcome.NoUpstream, repo.Outcome);
        Assert.Equal($"stack+spec {checkout.Path}: branch local-only has no upstream, nothing pulled", repo.Describe());
    }

    [Fact]
    public async Task A_failing_fetch_stops_before_any_repository_moves()
    {
        var (stackAuthor, stackCheckout) = await OpsRepoAsync("stack");
        var (_, specCheckout) = await OpsRepoAsync("spec");
        stackAuthor.Write("stacks/shop/stack.yml", "name: shop\ndescription: new\n");
        await stackAuthor.CommitAndPushAsync("new stack");
        var stackHead = await stackCheckout.HeadAsync();
        Directory.Move(await specCheckout.RemoteAsync(), _workspace.Combine("moved-away.git"));

        var error = await Assert.ThrowsAsync<SlipwayException>(() => _sync.PullAsync(
            [new("stack", stackCheckout.Combine("stacks", "shop")), new("spec", specCheckout.Combine("deployments", "shop"))], CancellationToken.None));

        Assert.Equal(FailureReason.SyncRefused, error.Reason);
        Assert.Contains($"git could not fetch origin/main in {specCheckout.Path}", error.Message);
        Assert.Contains("nothing was pulled", error.Message);
        Assert.Contains("spec.git", error.Message); // git's own message names the missing remote
        Assert.Equal(stackHead, await stackCheckout.HeadAsync());
    }

    [Fact]
    public async Task A_diverged_branch_is_refused_and_nothing_moves()
    {
        var (author, checkout) = await OpsRepoAsync();
        author.Write("deployments/shop/spec.yml", "stack: ../../stacks/shop\nconfig:\n  GREETING: remote\n");
        await author.CommitAndPushAsync("remote change");
        checkout.Write("notes.txt", "local\n");
        var local = await checkout.CommitAsync("local change");

        var error = await Assert.ThrowsAsync<SlipwayException>(() => _sync.PullAsync(Sources(checkout), CancellationToken.None));

        Assert.Contains("have diverged", error.Message);
        Assert.Equal(FailureReason.SyncRefused, error.Reason);
        Assert.Contains("git -C", error.Hint);
        Assert.Equal(local, await checkout.HeadAsync());
    }

    [Fact]
    public async Task Local_commits_not_pushed_yet_are_up_to_date()
    {
        var (_, checkout) = await OpsRepoAsync();
        checkout.Write("notes.txt", "local\n");
        var local = await checkout.CommitAsync("local change");

        var repo = Assert.Single((await _sync.PullAsync(Sources(checkout), CancellationToken.None)).Repositories);

        Assert.Equal(GitPullOutcome.UpToDate, repo.Outcome);
        Assert.Equal("local commits not on the upstream yet", repo.Note);
        Assert.Equal(local, await checkout.HeadAsync());
    }

    [Fact]
    public async Task Incoming_changes_to_a_locally_edited_file_are_refused_naming_the_file()
    {
        var (author, checkout) = await OpsRepoAsync();
        author.Write("deployments/shop/spec.yml", "stack: ../../stacks/shop\nconfig:\n  GREETING: remote\n");
        await author.CommitAndPushAsync("remote change");
        var head = await checkout.HeadAsync();
        checkout.Write("deployments/shop/spec.yml", "edited on the host\n");

        var error = await Assert.ThrowsAsync<SlipwayException>(() => _sync.PullAsync(Sources(checkout), CancellationToken.None));

        Assert.Contains("would overwrite local changes to deployments/shop/spec.yml", error.Message);
        Assert.Equal(FailureReason.SyncRefused, error.Reason);
        Assert.Equal(head, await checkout.HeadAsync());
        Assert.Equal("edited on the host\n", checkout.Read("deployments/shop/spec.yml"));
    }

    [Fact]
    public async Task Local_edits_to_other_files_do_not_stop_the_pull()
    {
        var (author, checkout) = await OpsRepoAsync();
        author.Write("deployments/shop/spec.yml", "stack: ../../stacks/shop\nconfig:\n  GREETING: remote\n");
        var pushed = await author.CommitAndPushAsync("remote change");
        checkout.Write("stacks/shop/stack.yml", "name: shop\n# local note\n");

        var repo = Assert.Single((await _sync.PullAsync(Sources(checkout), CancellationToken.None)).Repositories);

        Assert.Equal(GitPullOutcome.Updated, repo.Outcome);
        Assert.Equal(pushed, await checkout.HeadAsync());
        Assert.Equal("name: shop\n# local note\n", checkout.Read("stacks/shop/stack.yml"));
    }
}
