using Slipway.Core.Deployments;
using Slipway.Infrastructure.Pipeline;

namespace Slipway.Cli.Tests.Commands;

/// <summary>laconic-so's spellings of the deployment verbs: up/down, start --stay-attached, stop [timeout].</summary>
public sealed class LaconicDeploymentVerbTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private async Task<(string D, string Id)> DeploymentAsync()
    {
        var d = await _cli.CreateDeploymentAsync();
        var id = DeploymentFile.Parse(File.ReadAllText(Path.Combine(d, "deployment.yml")), "deployment.yml").DeploymentId;
        _cli.Runner.On("docker", "compose", "--dry-run").Returns(0);
        _cli.Runner.On("docker", "compose").Returns(0);
        _cli.Runner.On("docker", "ps").Returns(0, DeploymentOutputTests.HealthyWeb(id));
        return (d, id);
    }

    private bool LastRunPerformedClusterManagement(string d) => new RunStore(new DeploymentLayout(d)).Latest()!.Parameters.PerformClusterManagement;

    [Fact]
    public async Task Start_with_stay_attached_follows_every_services_logs_once_the_run_succeeded()
    {
        var (d, _) = await DeploymentAsync();

        var run = await _cli.RunAsync("deployment", "--dir", d, "start", "--stay-attached");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var calls = _cli.Runner.Calls.Select(c => string.Join(' ', c.Arguments)).ToList();
        var up = calls.FindIndex(c => c.Contains(" up --detach", StringComparison.Ordinal));
        var follow = calls.FindIndex(c => c.EndsWith("logs --no-color --follow", StringComparison.Ordinal));
        Assert.True(up >= 0 && follow > up, string.Join('\n', calls));
        Assert.Contains("succeeded", run.Err);
        Assert.Contains("following the logs (--stay-attached); Ctrl+C stops following, the deployment keeps running", run.Err);
    }

    [Fact]
    public async Task Start_without_stay_attached_returns_when_the_run_ends_and_the_two_together_are_refused()
    {
        var (d, _) = await DeploymentAsync();

        var start = await _cli.RunAsync("deployment", "--dir", d, "start", "--detatch-terminal");
        var both = await _cli.RunAsync("deployment", "--dir", d, "start", "--stay-attached", "--output", "json");

        Assert.True(start.ExitCode == ExitCodes.Success, start.ToString());
        Assert.DoesNotContain(_cli.Runner.Calls, c => c.Arguments.Contains("logs"));
        Assert.Equal(ExitCodes.InvalidInput, both.ExitCode);
        Assert.Contains("--stay-attached cannot be combined with --output json", both.Err);
    }

    [Fact]
    public async Task Up_is_start_with_cluster_management_on_unless_skipped_as_laconic_sos_up()
    {
        var (d, _) = await DeploymentAsync();

        var up = await _cli.RunAsync("deployment", "--dir", d, "up");
        var performed = LastRunPerformedClusterManagement(d);
        await _cli.RunAsync("deployment", "--dir", d, "up", "--skip-cluster-management");
        var skipped = LastRunPerformedClusterManagement(d);
        await _cli.RunAsync("deployment", "--dir", d, "start");
        var start = LastRunPerformedClusterManagement(d);

        Assert.True(up.ExitCode == ExitCodes.Success, up.ToString());
        Assert.Contains("succeeded", up.Err);
        Assert.True(performed);
        Assert.False(skipped);
        Assert.False(start);
    }

    [Fact]
    public async Task Stop_and_down_take_laconic_sos_timeout_argument_as_compose_downs_timeout()
    {
        var (d, id) = await DeploymentAsync();

        var stop = await _cli.RunAsync("deployment", "--dir", d, "stop", "7");
        var down = await _cli.RunAsync("deployment", "--dir", d, "down", "--delete-volumes", "3");
        var plain = await _cli.RunAsync("deployment", "--dir", d, "stop");
        var bad = await _cli.RunAsync("deployment", "--dir", d, "stop", "soon");

        Assert.True(stop.ExitCode == ExitCodes.Success, stop.ToString());
        Assert.True(down.ExitCode == ExitCodes.Success, down.ToString());
        Assert.True(plain.ExitCode == ExitCodes.Success, plain.ToString());
        var downs = _cli.Runner.Calls.Select(c => string.Join(' ', c.Arguments)).Where(c => c.Contains($"--project-name {id} ", StringComparison.Ordinal) && c.Contains(" down ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, downs.Count);
        Assert.EndsWith("down --remove-orphans --timeout 7", downs[0]);
        Assert.EndsWith("down --remove-orphans --volumes --timeout 3", downs[1]);
        Assert.EndsWith("down --remove-orphans", downs[2]);
        Assert.Equal(ExitCodes.UsageError, bad.ExitCode);
    }
}
