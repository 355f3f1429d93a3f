using System.Text.Json;
using Slipway.IntegrationTests.Infrastructure;
using Slipway.IntegrationTests.Pipeline;

namespace Slipway.IntegrationTests.Runs;

/// <summary>A run ended by SIGTERM or Ctrl+C says so, records it, and is finished by resume.</summary>
[Collection(SideBySideCollection.Name)]
public sealed class InterruptTests(DockerFixture fixture)
{
    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task A_run_ended_by_a_signal_says_it_is_interrupted_records_it_and_resume_finishes_it(string signal)
    {
        Assert.Contains("built slipway/hello:local", fixture.HelloBuild.StandardError);
        await using var ws = new Workspace();
        var spec = await ws.InitAsync(RunStacks.Pipeline, "spec.yml", "--config", "GREETING=v1,READY_AFTER=8,START_PERIOD=60s", "--map-ports-to-host", "localhost-fixed-random");
        var d = await ws.CreateAsync(spec, "d");

        using var child = ChildCli.Start("deployment", "--dir", d.Directory, "start");
        await child.WaitForStageAsync(d.Directory, "verify", TimeSpan.FromSeconds(60));
        await child.SignalAsync(signal);
        Assert.Equal(Cli.ExitCodes.Interrupted, await child.WaitForExitAsync(TimeSpan.FromSeconds(40)));
        Assert.Contains("interrupted at stage verify", child.Output);
        Assert.Contains("resume' finishes it", child.Output);

        var run = RunFiles.Latest(d);
        Assert.Equal("interrupted", run.GetProperty("state").GetString());
        Assert.False(File.Exists(d.File(".slipway", "lock")), "an interrupted run releases its lock");

        var diagnose = await d.RunAsync("diagnose");
        Assert.Contains("): interrupted", diagnose.StandardOutput);
        Assert.DoesNotMatch("(?m)^last run .*: running", diagnose.StandardOutput);
        Assert.Contains("resume' finishes it from stage verify", diagnose.StandardOutput);

        var resume = await d.RunAsync("resume");
        Assert.Contains("at stage verify", resume.StandardError);
        Assert.Equal("succeeded", RunFiles.Latest(d).GetProperty("state").GetString());
        Assert.Contains("<h1>v1</h1>", await Http.GetOkAsync(await d.UrlAsync("web", 80), "/"));
    }
}

/// <summary>D's run records, as the tests read them.</summary>
internal static class RunFiles
{
    public static JsonElement Latest(TestDeployment d)
    {
        var dir = Directory.GetDirectories(d.File(".slipway", "runs")).Order(StringComparer.Ordinal).Last();
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "run.json")));
        return json.RootElement.Clone();
    }
}
