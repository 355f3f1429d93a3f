using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.Runs;

/// <summary>The services a deployment must run come from D, not from what happens to be running.</summary>
[Collection(SideBySideCollection.Name)]
public sealed class MissingServiceTests(DockerFixture fixture)
{
    [Fact]
    public async Task A_service_whose_container_was_removed_fails_verify_and_shows_as_missing_in_status_and_ps()
    {
        Assert.Contains("built slipway/hello:local", fixture.HelloBuild.StandardError);
        await using var ws = new Workspace();
        var spec = await ws.InitAsync(RunStacks.Pipeline, "spec.yml", "--map-ports-to-host", "localhost-fixed-random");
        var d = await ws.CreateAsync(spec, "d");
        await d.RunAsync("start");
        await d.RunAsync("verify");

        var sleeper = (await Docker.OutputAsync("ps", "--quiet", "--filter", $"label=com.docker.compose.project={d.DeploymentId}",
            "--filter", "label=com.docker.compose.service=sleeper")).Trim();
        Assert.NotEmpty(sleeper);
        (await Docker.RunAsync("rm", "--force", sleeper)).ShouldSucceed();

        var verify = await d.RunAsync(Cli.ExitCodes.VerifyTimeout, "verify", "--wait-timeout", "30");
        Assert.Contains("not healthy: sleeper (missing)", verify.AllOutput);
        Assert.True(verify.Duration < TimeSpan.FromSeconds(25), $"a missing service fails verify at once, not at the timeout ({verify.Duration})");

        foreach (var verb in new[] { "status", "ps" })
        {
            var states = await d.StatusAsync(verb);
            Assert.Equal([("sleeper", "missing"), ("web", "running")], states.Select(s => (s.Service, s.State)).ToList());
            Assert.Contains("missing", (await d.RunAsync(verb)).StandardOutput);
        }

        Assert.Contains("service sleeper: missing", (await d.RunAsync("diagnose")).StandardOutput);

        // A start brings it back, and a stopped deployment lists nothing missing.
        await d.RunAsync("start");
        Assert.All(await d.StatusAsync(), s => Assert.Equal("running", s.State));
        await d.RunAsync("stop");
        Assert.Empty(await d.StatusAsync());
    }
}
