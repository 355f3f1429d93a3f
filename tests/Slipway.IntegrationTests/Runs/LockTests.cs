using System.Text.RegularExpressions;
using Slipway.IntegrationTests.Infrastructure;
using Slipway.IntegrationTests.Pipeline;

namespace Slipway.IntegrationTests.Runs;

/// <summary>Commands that change D or the live deployment take D's lock; read-only ones do not.</summary>
[Collection(SideBySideCollection.Name)]
public sealed class LockTests(DockerFixture fixture)
{
    [Fact]
    public async Task Stop_update_and_run_job_during_a_restart_are_refused_while_read_only_commands_answer()
    {
        Assert.Contains("built slipway/hello:local", fixture.HelloBuild.StandardError);
        await using var ws = new Workspace();
        var spec = await ws.InitAsync(RunStacks.Pipeline, "spec.yml", "--config", "GREETING=v1,STOP_GRACE=8s", "--map-ports-to-host", "localhost-fixed-random");
        var d = await ws.CreateAsync(spec, "d");
        await d.RunAsync("start");

        // Recreating "sleeper" waits its 8 s stop grace: the restart holds the lock long enough.
        using var child = ChildCli.Start("deployment", "--dir", d.Directory, "restart", "--force-recreate");
        await child.WaitForStageAsync(d.Directory, "apply", TimeSpan.FromSeconds(60));
        var specCopy = await File.ReadAllTextAsync(d.File("spec.yml"));

        var stop = await d.RunAsync(Cli.ExitCodes.Locked, "stop");
        Assert.Contains("stop refused, nothing was changed", stop.StandardError);
        Assert.Contains($"pid {child.Pid}", stop.StandardError);
        Assert.Contains("wait for that run to finish", stop.StandardError);
        Assert.DoesNotContain("✓", stop.StandardError);

        // --break-lock never breaks a live run's lock.
        await d.RunAsync(Cli.ExitCodes.Locked, "stop", "--break-lock");

        var specText = await File.ReadAllTextAsync(spec);
        var changed = Regex.Replace(specText, "(?m)^  GREETING: .*$", "  GREETING: v2");
        Assert.NotEqual(specText, changed);
        await File.WriteAllTextAsync(spec, changed);
        var update = await SlipwayCommand.RunAsync(Cli.ExitCodes.Locked, "deploy", "create", "--spec-file", spec, "--deployment-dir", d.Directory, "--update");
        Assert.Contains("deploy create --update refused, nothing was changed", update.StandardError);
        Assert.Equal(specCopy, await File.ReadAllTextAsync(d.File("spec.yml")));

        // Read-only commands do not wait for or take the lock.
        await d.RunAsync("status");
        await d.RunAsync("history");
        await d.RunAsync("diagnose");

        Assert.Equal(0, await child.WaitForExitAsync(TimeSpan.FromSeconds(120)));
        Assert.All(await d.StatusAsync(), s => Assert.Equal("running", s.State));
        Assert.Equal(2, (await d.StatusAsync()).Count);

        // Once the run is over, the same stop goes through and releases the lock.
        await d.RunAsync("stop");
        Assert.Empty(await Docker.ContainerIdsAsync(d.DeploymentId));
        Assert.False(File.Exists(d.File(".slipway", "lock")));
    }
}
