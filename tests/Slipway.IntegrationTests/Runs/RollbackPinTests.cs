using System.Text.RegularExpressions;
using Slipway.IntegrationTests.Infrastructure;

namespace Slipway.IntegrationTests.Runs;

/// <summary>A rollback sticks until the operator moves on explicitly.</summary>
[Collection(SideBySideCollection.Name)]
public sealed class RollbackPinTests(DockerFixture fixture)
{
    [Fact]
    public async Task After_a_rollback_start_and_restart_refuse_to_move_on_without_unpin_and_restart_unpin_rolls_forward()
    {
        Assert.Contains("built slipway/hello:local", fixture.HelloBuild.StandardError);
        await using var ws = new Workspace();
        var spec = await ws.InitAsync(RunStacks.Pipeline, "spec.yml", "--config", "GREETING=v1", "--map-ports-to-host", "localhost-fixed-random");
        var d = await ws.CreateAsync(spec, "d");
        await d.RunAsync("start");
        var url = await d.UrlAsync("web", 80);

        var text = await File.ReadAllTextAsync(spec);
        var v2 = Regex.Replace(text, "(?m)^  GREETING: .*$", "  GREETING: v2");
        Assert.NotEqual(text, v2);
        await File.WriteAllTextAsync(spec, v2);
        await d.RunAsync("restart");
        Assert.Contains("<h1>v2</h1>", await Http.GetOkAsync(url, "/"));

        var rollback = await d.RunAsync("rollback");
        Assert.Contains("pinned to revision 3", rollback.StandardError);
        Assert.Contains("<h1>v1</h1>", await Http.GetOkAsync(url, "/"));
        Assert.Contains("3* (pinned)", (await d.RunAsync("history")).StandardOutput);
        Assert.Contains("\"pin\": {", (await d.RunAsync("history", "--output", "json")).StandardOutput);
        Assert.Contains("pin: revision 3 (revision 1's files and images) by rollback run", (await d.RunAsync("diagnose")).StandardOutput);

        foreach (var verb in new[] { "start", "restart" })
        {
            var refused = await d.RunAsync(Cli.ExitCodes.Conflict, verb);
            Assert.Contains("is pinned to revision 3 (revision 1's files and images) by rollback run", refused.StandardError);
            Assert.Contains($"'{verb} --unpin' moves on", refused.StandardError);
            Assert.Contains("<h1>v1</h1>", await Http.GetOkAsync(url, "/"));
        }

        var forward = await d.RunAsync("restart", "--unpin");
        Assert.Contains("unpinned", forward.StandardError);
        Assert.Contains("<h1>v2</h1>", await Http.GetOkAsync(url, "/"));
        await d.RunAsync("start"); // no pin any more
        Assert.False(File.Exists(d.File(".slipway", "pin.json")));
        Assert.DoesNotContain("(pinned)", (await d.RunAsync("history")).StandardOutput);
        Assert.DoesNotContain("pin:", (await d.RunAsync("diagnose")).StandardOutput);
    }
}
