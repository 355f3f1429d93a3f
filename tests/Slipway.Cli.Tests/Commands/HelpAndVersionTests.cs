namespace Slipway.Cli.Tests.Commands;

public sealed class HelpAndVersionTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Version_prints_slipway_and_the_version_on_stdout()
    {
        var run = await _cli.RunAsync("version");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^slipway \S+\n$", run.Out);
        Assert.Empty(run.Err);
    }

    [Fact]
    public async Task Version_answered_before_the_command_tree_is_built_says_the_same_as_the_version_command()
    {
        var command = await _cli.RunAsync("version");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [typeof(ExitCodes).Assembly.Location, "version"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        Assert.Equal(command.Out, stdout);
        Assert.Empty(stderr);
    }

    [Fact]
    public async Task Help_lists_every_exit_code_with_its_name()
    {
        var run = await _cli.RunAsync("--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var (code, name, _) in ExitCodes.All)
        {
            Assert.Matches($@"(?m)^\s+{code}  {name}: ", run.Out);
        }
    }

    [Fact]
    public async Task Help_output_matches_the_golden_file()
    {
        var run = await _cli.RunAsync("--help");

        // The usage line names the host executable: "slipway" when installed, "testhost" under the test runner.
        Golden.AssertMatches(run.Out.Replace("  testhost [command]", "  slipway [command]"), "HelpAndVersionTests/help.txt");
    }

    [Fact]
    public async Task Deployment_help_lists_its_subcommands()
    {
        var run = await _cli.RunAsync("deployment", "--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var command in new[] { "start", "stop", "restart", "ps", "status", "logs", "port", "exec", "run-job" })
        {
            Assert.Matches($@"(?m)^\s+([\w-]+, )*{command}\b", run.Out);
        }
    }

    [Fact]
    public async Task Deployment_help_says_history_names_the_source_commits_and_the_pin()
    {
        var run = await _cli.RunAsync("deployment", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"(?m)^\s+history\b.*source commits.*pin", run.Out);
    }

    [Fact]
    public async Task Restart_help_offers_laconic_sos_force_to_skip_the_dns_probe()
    {
        var run = await _cli.RunAsync("deployment", "restart", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"(?m)^\s+--force\s+Skip the DNS probe", run.Out);
        Assert.Matches(@"(?m)^\s+--force-recreate\b", run.Out);
    }
}
