using System.Runtime.Versioning;
using Slipway.Core.Diagnostics;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Build;
using Slipway.Infrastructure.Files;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Tests.Build;

/// <summary>Against the real git on temporary repositories: the tag must follow content exactly.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class StackRevisionTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();
    private readonly SystemProcessRunner _runner = new();

    public void Dispose() => _workspace.Dispose();

    private Stack WriteStack()
    {
        _workspace.WriteFile("repo/stacks/shop/stack.yml", "name: shop\ncontainers:\n  - shop/web\npods:\n  - web\n");
        _workspace.WriteFile("repo/container-build/shop-web/Dockerfile", "FROM scratch\n");
        return Stack.Load(_workspace.Combine("repo", "stacks", "shop"), new DiskHostFiles(), new DiagnosticBag());
    }

    private async Task Git(params string[] args) =>
        (await _runner.RunAsync(new ProcessSpec("git", ["-C", _workspace.Combine("repo"), "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false", .. args]))).ShouldSucceed();

    private async Task<string> CommitAll()
    {
        await Git("add", "-A");
        await Git("commit", "-q", "-m", "c");
        var head = await _runner.RunAsync(new ProcessSpec("git", ["-C", _workspace.Combine("repo"), "rev-parse", "HEAD"]));
        return head.ShouldSucceed().StandardOutput.Trim();
    }

    private Task<StackRevision> Resolve(Stack stack) => new StackRevisionResolver(new Git(_runner)).ResolveAsync(stack, CancellationToken.None);

    [Fact]
    public async Task A_clean_work_tree_is_tagged_with_the_first_12_characters_of_the_commit()
    {
        var stack = WriteStack();
        await Git("init", "-q");
        var commit = await CommitAll();

        var revision = await Resolve(stack);

        Assert.Equal((commit[..12], RevisionKind.GitCommit, commit), (revision.Tag, revision.Kind, revision.Commit));
        Assert.Contains($"git commit {commit[..12]}", revision.Description);
    }

    [Fact]
    public async Task Uncommitted_changes_add_a_dirty_marker_whose_hash_follows_the_content()
    {
        var stack = WriteStack();
        await Git("init", "-q");
        var commit = await CommitAll();

        _workspace.WriteFile("repo/container-build/shop-web/Dockerfile", "FROM scratch\nLABEL v=1\n");
        var first = await Resolve(stack);
        var again = await Resolve(stack);
        _workspace.WriteFile("repo/container-build/shop-web/Dockerfile", "FROM scratch\nLABEL v=2\n");
        var second = await Resolve(stack);
        _workspace.WriteFile("repo/container-build/shop-web/extra.txt", "untracked\n");
        var third = await Resolve(stack);
        File.Delete(_workspace.Combine("repo", "container-build", "shop-web", "extra.txt"));
        var back = await Resolve(stack);

        Assert.Equal(RevisionKind.GitDirty, first.Kind);
        Assert.Matches($"^{commit[..12]}-dirty-[0-9a-f]{{12}}$", first.Tag);
        Assert.Equal(first.Tag, again.Tag);
        Assert.Equal(second.Tag, back.Tag);
        Assert.Equal(3, new[] { first.Tag, second.Tag, third.Tag }.Distinct().Count());
        Assert.Contains("uncommitted change", first.Description);
    }

    [Fact]
    public async Task A_deleted_tracked_file_makes_the_tree_dirty()
    {
        var stack = WriteStack();
        _workspace.WriteFile("repo/container-build/shop-web/old.txt", "x\n");
        await Git("init", "-q");
        await CommitAll();

        File.Delete(_workspace.Combine("repo", "container-build", "shop-web", "old.txt"));

        Assert.Equal(RevisionKind.GitDirty, (await Resolve(stack)).Kind);
    }

    [Fact]
    public async Task A_stack_outside_git_gets_a_content_hash_tag_that_says_why()
    {
        var stack = WriteStack();

        var first = await Resolve(stack);
        _workspace.WriteFile("repo/container-build/shop-web/Dockerfile", "FROM scratch\nLABEL v=1\n");
        var changed = await Resolve(stack);

        Assert.Equal(RevisionKind.ContentHash, first.Kind);
        Assert.Matches("^content-[0-9a-f]{12}$", first.Tag);
        Assert.NotEqual(first.Tag, changed.Tag);
        Assert.Null(first.Commit);
        Assert.Contains("not in a git work tree", first.Description);
    }

    [Fact]
    public async Task A_repository_without_commits_gets_a_content_hash_tag()
    {
        var stack = WriteStack();
        await Git("init", "-q");

        var revision = await Resolve(stack);

        Assert.Equal(RevisionKind.ContentHash, revision.Kind);
        Assert.Contains("has no commit yet", revision.Description);
    }

    [Fact]
    public async Task A_missing_git_falls_back_to_a_content_hash()
    {
        var stack = WriteStack();

        var revision = await new StackRevisionResolver(new Git(_runner, "/nonexistent/git")).ResolveAsync(stack, CancellationToken.None);

        Assert.Equal(RevisionKind.ContentHash, revision.Kind);
    }

    [Theory]
    [InlineData(" M a.txt\0?? b/c.txt\0", new[] { "a.txt", "b/c.txt" })]
    [InlineData("R  new name.txt\0old.txt\0 D gone\0", new[] { "gone", "new name.txt", "old.txt" })]
    [InlineData("", new string[0])]
    public void Porcelain_z_output_lists_every_changed_path_including_rename_origins(string porcelain, string[] paths)
    {
        Assert.Equal(paths, StackRevisionResolver.ChangedPaths(porcelain));
    }

    private Task<StackRevision> ResolveImage(Stack stack) =>
        new StackRevisionResolver(new Git(_runner)).ResolveAsync(stack, CancellationToken.None, stack.ContainerBuildDirectory("shop/web"));

    [Fact]
    public async Task An_image_is_tagged_with_the_last_commit_of_its_build_folder_so_config_commits_and_edits_keep_its_tag()
    {
        var stack = WriteStack();
        _workspace.WriteFile("repo/config/shop/motd.txt", "one\n");
        await Git("init", "-q");
        var built = await CommitAll();

        _workspace.WriteFile("repo/config/shop/motd.txt", "two\n");
        var dirtyConfig = await ResolveImage(stack);
        await CommitAll();
        var afterConfigCommit = await ResolveImage(stack);
        _workspace.WriteFile("repo/container-build/shop-web/Dockerfile", "FROM scratch\nLABEL v=2\n");
        var dirtyBuild = await ResolveImage(stack);
        var changed = await CommitAll();
        var afterBuildCommit = await ResolveImage(stack);

        Assert.Equal((built[..12], RevisionKind.GitCommit), (dirtyConfig.Tag, dirtyConfig.Kind));
        Assert.Equal(built[..12], afterConfigCommit.Tag);
        Assert.Equal(RevisionKind.GitDirty, dirtyBuild.Kind);
        Assert.StartsWith(built[..12] + "-dirty-", dirtyBuild.Tag);
        Assert.Equal((changed[..12], RevisionKind.GitCommit), (afterBuildCommit.Tag, afterBuildCommit.Kind));
    }

    [Fact]
    public async Task Outside_git_an_image_tag_hashes_its_build_folder_only()
    {
        var stack = WriteStack();
        var first = await ResolveImage(stack);
        _workspace.WriteFile("repo/config/shop/motd.txt", "edited\n");
        var afterConfig = await ResolveImage(stack);
        _workspace.WriteFile("repo/container-build/shop-web/Dockerfile", "FROM scratch\nLABEL v=3\n");
        var afterBuild = await ResolveImage(stack);

        Assert.Equal(RevisionKind.ContentHash, first.Kind);
        Assert.Equal(first.Tag, afterConfig.Tag);
        Assert.NotEqual(first.Tag, afterBuild.Tag);
    }
}
