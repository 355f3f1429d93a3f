using Slipway.IntegrationTests.Infrastructure;

namespace Slipway.IntegrationTests.Runs;

/// <summary>A service without a health check is "running" the moment it starts: verify must see it stay up.</summary>
[Collection(SideBySideCollection.Name)]
public sealed class NoHealthCheckTests(DockerFixture fixture)
{
    private static string Stack => Path.Combine(Paths.RepositoryRoot, "tests", "Slipway.IntegrationTests", "Runs", "Stacks", "no-healthcheck");

    [Fact]
    public async Task A_service_without_a_health_check_that_exits_right_after_each_start_fails_start_and_plain_verify()
    {
        Assert.Contains("built slipway/hello:local", fixture.HelloBuild.StandardError);
        await using var ws = new Workspace();
        var spec = await ws.InitAsync(Stack, "spec.yml");
        var d = await ws.CreateAsync(spec, "d");

        // Each time the engine restarts it, it runs for a second: every poll may find it "running", none may call it healthy.
        var start = await d.RunAsync(Cli.ExitCodes.VerifyTimeout, "start", "--wait-timeout", "20");
        Assert.True(start.AllOutput.Contains("crashing (", StringComparison.Ordinal), start.AllOutput);
        Assert.DoesNotContain("steady (just started", start.AllOutput);

        var verify = await d.RunAsync(Cli.ExitCodes.VerifyTimeout, "verify", "--wait-timeout", "10");
        Assert.Contains("crashing (", verify.AllOutput);
        Assert.DoesNotContain("steady (", verify.AllOutput.Split('\n')[0]);

    }
}
