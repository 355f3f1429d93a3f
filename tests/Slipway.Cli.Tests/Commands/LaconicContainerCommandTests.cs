using Slipway.Cli.Commands;

namespace Slipway.Cli.Tests.Commands;

/// <summary>fetch-containers' and update's usage, and laconic-so's build-only and repository-pod stacks.</summary>
public sealed class LaconicContainerCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Update_refuses_to_replace_a_build_inside_a_source_checkout_and_says_git_pull_is_the_way()
    {
        // The test binaries run from tests/.../bin inside the repository, as ./slipway's artifacts/slipway does.
        var run = await _cli.RunAsync("update", "--check-only");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("this slipway runs from the source checkout ", run.Err);
        Assert.Contains("update refuses to replace it", run.Err);
        Assert.Contains(" pull': ./slipway rebuilds itself when its sources changed", run.Err);
        Assert.Empty(_cli.Runner.Calls);
    }

    [Fact]
    public async Task Update_check_only_prints_the_current_and_the_available_version_and_changes_nothing()
    {
        using var server = new LocalHttpServer();
        var release = System.Text.Encoding.ASCII.GetBytes("#!/bin/sh\necho 'slipway 0.2.0'\n");
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(release));
        server.Serve("/slipway", release);
        _cli.Workspace.WriteFile("home/.slipway/config.yml", $"distribution-url: {server.Url}/slipway\ndistribution-sha256: {sha}\n");
        var installed = _cli.Workspace.WriteFile("opt/slipway/slipway", "installed\n");
        _cli.Host = host => host with { HomeDirectory = _cli.Path("home"), InstallDirectory = _cli.Path("opt", "slipway") };
        _cli.Runner.OnContaining("version").Returns(0, "slipway 0.2.0\n");

        var run = await _cli.RunAsync("update", "--check-only");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains($"current:   slipway {VersionCommand.Version} ({_cli.Path("opt", "slipway")})", run.Out);
        Assert.Contains($"available: slipway 0.2.0 ({server.Url}/slipway, sha256 {sha})", run.Out);
        Assert.Contains("--check-only: nothing was changed; 'slipway update' installs it", run.Err);
        var version = Assert.Single(_cli.Runner.Calls);
        Assert.EndsWith("/build/slipway", version.FileName);
        Assert.Equal(["version"], version.Arguments);
        Assert.Equal(["slipway"], Directory.EnumerateFileSystemEntries(_cli.Path("opt")).Select(Path.GetFileName));
        Assert.Equal("installed\n", File.ReadAllText(installed));
    }

    [Fact]
    public async Task Update_check_only_with_rollback_is_a_usage_error()
    {
        var run = await _cli.RunAsync("update", "--check-only", "--rollback");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("--check-only and --rollback cannot be combined", run.Err);
    }

    [Fact]
    public async Task A_build_only_stack_without_pods_is_built_and_cloned_but_not_deployed()
    {
        // laconic-so's build-support stack: containers, no pods (laconic-so --stack build-support build-containers).
        _cli.Workspace.WriteFile("build-only/stack.yml", "version: \"1.2\"\nname: build-only\ncontainers:\n  - cerc/builder-js\n");

        var build = await _cli.RunAsync("--stack", "build-only", "build-containers", "--exclude", "cerc/builder-js");
        var repos = await _cli.RunAsync("--stack", "build-only", "setup-repositories");
        var init = await _cli.RunAsync("--stack", "build-only", "deploy", "init", "--output", "spec.yml");

        Assert.True(build.ExitCode == ExitCodes.Success, build.ToString());
        Assert.True(repos.ExitCode == ExitCodes.Success, repos.ToString());
        Assert.Contains("stack build-only does not define any repositories", repos.Err);
        Assert.Equal(ExitCodes.InvalidInput, init.ExitCode);
        Assert.Contains("stack.yml has no 'pods'", init.Err);
        Assert.Empty(_cli.Runner.Calls);
    }

    [Fact]
    public async Task Init_of_a_stack_whose_pod_repository_is_not_cloned_says_to_set_up_the_repositories()
    {
        _cli.Workspace.WriteFile("repo-pods/stack.yml", "name: repo-pods\nrepos:\n  - github.com/org/pods\npods:\n  - name: web\n    repository: github.com/org/pods\n    path: web\n");

        var init = await _cli.RunAsync("--stack", "repo-pods", "deploy", "init", "--output", "spec.yml");

        Assert.Equal(ExitCodes.InvalidInput, init.ExitCode);
        Assert.Contains("stack.yml:5:5: error SW007: pod 'web': its repository github.com/org/pods is not in the dev root", init.Err);
        Assert.Contains("clone it first with 'setup-repositories'", init.Err);
    }

    [Fact]
    public async Task Fetch_containers_needs_the_registry_and_its_credentials_and_warns_for_a_stack_without_containers()
    {
        _cli.WriteStackAndSpec();

        var missing = await _cli.RunAsync("--stack", "stack", "fetch-containers", "--image-registry", "127.0.0.1:5000/org");
        var none = await _cli.RunAsync("--stack", "stack", "fetch-containers", "--image-registry", "127.0.0.1:5000/org", "--registry-username", "u", "--registry-token", "t");

        Assert.Equal(ExitCodes.UsageError, missing.ExitCode);
        Assert.Contains("--registry-username", missing.Err);
        Assert.True(none.ExitCode == ExitCodes.Success, none.ToString());
        Assert.Contains("stack tiny does not define any containers", none.Err);
        Assert.Empty(_cli.Runner.Calls);
    }
}
