namespace Slipway.Cli.Tests.Commands;

public sealed class GlobalFlagTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Continue_on_error_on_a_command_that_does_not_honour_it_is_warned_about_not_silently_ignored()
    {
        var run = await _cli.RunAsync("--continue-on-error", "version");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("warning: --continue-on-error is honoured by build-containers, setup-repositories and build-npms; 'version' stops at its first failure", run.Err);
    }

    [Fact]
    public async Task Continue_on_error_before_or_after_build_containers_reaches_it()
    {
        _cli.Workspace.WriteFile("s/stack.yml", "version: \"1.0\"\nname: s\npods: []\n");
        foreach (var args in new[] { new[] { "--continue-on-error", "--stack", "s", "build-containers" }, ["--stack", "s", "build-containers", "--continue-on-error"] })
        {
            var run = await _cli.RunAsync(args);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.DoesNotContain("--continue-on-error is honoured", run.Err);
        }
    }

    [Fact]
    public async Task Dry_run_and_local_stack_refusals_are_usage_errors_printed_as_errors()
    {
        var d = await _cli.CreateDeploymentAsync();

        var dryRun = await _cli.RunAsync("--dry-run", "deployment", "--dir", d, "start");
        var localStack = await _cli.RunAsync("--local-stack", "--stack", "stack", "setup-repositories");

        Assert.Equal(ExitCodes.UsageError, dryRun.ExitCode);
        Assert.StartsWith("error: --dry-run is supported by deploy up", dryRun.Err, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.UsageError, localStack.ExitCode);
        Assert.StartsWith("error: --local-stack: the current directory ", localStack.Err, StringComparison.Ordinal);
        Assert.Empty(_cli.Runner.Calls);
    }

    [Fact]
    public async Task Dry_run_up_says_it_would_run_the_pod_scripts_and_never_that_it_runs_them()
    {
        _cli.Workspace.WriteFile("scripted/stack.yml", "name: scripted\npods:\n  - name: front\n    pre_start_command: pre.sh\n");
        _cli.Workspace.WriteFile("scripted/compose/docker-compose-front.yml", "services:\n  web:\n    image: busybox\n");
        var script = _cli.Workspace.WriteFile("scripted/compose/pre.sh", "#!/bin/sh\nexit 0\n");

        var run = await _cli.RunAsync("--dry-run", "--stack", "scripted", "deploy", "up");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains($"Dry run: would run: {script}", run.Err);
        Assert.DoesNotContain("running pre_start_command", run.Err);
        Assert.Empty(_cli.Runner.Calls);
    }

    [Fact]
    public async Task Quiet_silences_progress_but_keeps_results()
    {
        var d = await _cli.CreateDeploymentAsync();
        _cli.Runner.On("docker", "compose").Returns(0);
        var id = Slipway.Core.Deployments.DeploymentFile.Parse(File.ReadAllText(Path.Combine(d, "deployment.yml")), "deployment.yml").DeploymentId;
        _cli.Runner.On("docker", "ps").Returns(0, DeploymentOutputTests.HealthyWeb(id));

        var run = await _cli.RunAsync("--quiet", "deployment", "--dir", d, "start");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.Err);
        Assert.StartsWith("SERVICE", run.Out);
    }

    [Fact]
    public async Task A_quiet_flag_after_the_exec_command_belongs_to_that_command_not_to_slipway()
    {
        var d = await _cli.CreateDeploymentAsync();
        _cli.Runner.On("docker", "compose").Returns(0);

        var run = await _cli.RunAsync("deployment", "--dir", d, "exec", "web", "grep", "--quiet", "x", "/etc/hosts");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.EndsWith("exec --no-TTY web grep --quiet x /etc/hosts", _cli.Runner.CallLines().Single());
    }

    [Fact]
    public async Task Verbose_shows_every_child_command_on_stderr_and_debug_adds_its_output()
    {
        var d = await _cli.CreateDeploymentAsync();
        _cli.Runner.On("docker", "compose").Returns(0, "0.0.0.0:32768\n");

        var verbose = await _cli.RunAsync("--verbose", "deployment", "--dir", d, "port", "web", "80");
        var debug = await _cli.RunAsync("--debug", "deployment", "--dir", d, "port", "web", "80");

        Assert.Equal("0.0.0.0:32768\n", verbose.Out);
        Assert.Contains("$ docker compose --ansi never --project-name", verbose.Err);
        Assert.Contains("port web 80", verbose.Err);
        Assert.Contains("  exit 0 after", verbose.Err);
        Assert.DoesNotContain("out| 0.0.0.0:32768", verbose.Err);
        Assert.Contains("out| 0.0.0.0:32768", debug.Err);
    }
}
