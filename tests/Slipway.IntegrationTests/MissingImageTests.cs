using System.Diagnostics;
using Slipway.IntegrationTests.Infrastructure;

namespace Slipway.IntegrationTests;

[Collection(SideBySideCollection.Name)]
public sealed class MissingImageTests
{
    [Fact]
    public async Task Start_with_an_image_that_was_never_built_fails_fast_with_DeploymentFailed_and_says_why()
    {
        await using var ws = new Workspace();
        var spec = await ws.InitAsync(Paths.MissingImageStack, "missing-spec.yml");
        var d = await ws.CreateAsync(spec, "missing");

        var watch = Stopwatch.StartNew();
        var start = await d.RunAsync(Cli.ExitCodes.DeploymentFailed, "start");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"start should fail fast, took {watch.Elapsed}:\n{start}");

        Assert.Contains("127.0.0.1:9/slipway-tests/never-built:local", start.StandardError);
        Assert.Contains("connection refused", start.StandardError);
        Assert.Contains($"log: {d.File(".slipway", "logs")}", start.StandardError);
        Assert.Empty(await Docker.ContainerIdsAsync(d.DeploymentId));
    }
}
