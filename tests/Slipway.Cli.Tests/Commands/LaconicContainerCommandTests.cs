namespace Slipway.Cli.Tests.Commands;

/// <summary>fetch-containers' usage, and the laconic-so verbs Slipway does not have, which say what to do instead.</summary>
public sealed class LaconicContainerCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Update_says_slipway_has_no_self_update_and_how_it_is_updated()
    {
        var run = await _cli.RunAsync("update", "--check-only");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("Slipway has no self-update: laconic-so's update replaces its own binary from the distribution-url in ~/.laconic-so/config.yml", run.Err);
        Assert.Contains("with 'git pull': ./slipway rebuilds itself when its sources changed", run.Err);
        Assert.Empty(_cli.Runner.Calls);
    }

    [Fact]
    public async Task Build_npms_fails_saying_nothing_was_built_and_what_to_do_instead()
    {
        _cli.WriteStackAndSpec();

        var run = await _cli.RunAsync("--stack", "stack", "build-npms", "--include", "a");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("build-npms is not in Slipway", run.Err);
        Assert.Contains("nothing was built or published", run.Err);
        Assert.Empty(_cli.Runner.Calls);
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
