using Slipway.IntegrationTests.Infrastructure;
using Slipway.IntegrationTests.Pipeline;

namespace Slipway.IntegrationTests.Runs;

/// <summary>kill -9 of the slipway process alone (OOM killer, lost session) while its docker compose child runs.</summary>
// Alone, not side by side: under load the orphaned compose was seen ending half-way through its recreate (perhaps on a
// write to the dead CLI's pipe), and the resume's compose up then met its leftover container (docs/testing.md).
[Collection(DockerCollection.Name)]
public sealed class OrphanTests(DockerFixture fixture)
{
    [Fact]
    public async Task Resume_after_a_kill_of_slipway_alone_waits_for_the_compose_it_left_running_and_every_service_runs()
    {
        Assert.Contains("built slipway/hello:local", fixture.HelloBuild.StandardError);
        await using var ws = new Workspace();
        // Recreating "sleeper" waits its 8 s stop grace: compose up is still at work when slipway dies.
        var (d, child) = await RestartRecordingItsComposeAsync(ws, "8s");
        using var _ = child;
        await Task.Delay(500); // compose has sent its stop; the recreate is under way
        var orphans = await child.KillAloneAsync();
        Assert.NotEmpty(orphans);

        var run = RunFiles.Latest(d);
        var recorded = run.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("pid").GetInt32()).ToList();
        Assert.Contains(recorded, orphans.Contains);
        Assert.All(run.GetProperty("children").EnumerateArray(), c => Assert.True(c.GetProperty("processStart").GetInt64() > 0));

        var resume = await d.RunAsync("resume");
        Assert.True(orphans.All(p => !Directory.Exists($"/proc/{p}")) || orphans.All(p => IsZombie(p)),
            "resume went on while the dead run's children were still running");
        Assert.Equal("succeeded", RunFiles.Latest(d).GetProperty("state").GetString());
        var states = await d.StatusAsync();
        Assert.Equal([("sleeper", "running"), ("web", "running")], states.Select(s => (s.Service, s.State)).ToList());
        Assert.Equal(2, (await Docker.ContainerIdsAsync(d.DeploymentId)).Count);
        Assert.Contains("<h1>v1</h1>", await Http.GetOkAsync(await d.UrlAsync("web", 80), "/"));
        Assert.Contains("running; waiting up to", resume.StandardError);
        Assert.DoesNotContain("which its record missed", resume.StandardError); // compose's plugin process is the recorded docker's child
    }

    [Fact]
    public async Task Resume_finds_and_waits_for_a_compose_the_dead_runs_record_missed()
    {
        Assert.Contains("built slipway/hello:local", fixture.HelloBuild.StandardError);
        await using var ws = new Workspace();
        var (d, child) = await RestartRecordingItsComposeAsync(ws, "8s");
        using var _ = child;
        await Task.Delay(500);
        var orphans = await child.KillAloneAsync();
        Assert.NotEmpty(orphans);

        // As if slipway had died between starting compose and saving run.json: the record names no child.
        var file = Path.Combine(Directory.GetDirectories(d.File(".slipway", "runs")).Order(StringComparer.Ordinal).Last(), "run.json");
        var record = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(file))!;
        record["children"] = new System.Text.Json.Nodes.JsonArray();
        await File.WriteAllTextAsync(file, record.ToJsonString());

        var resume = await d.RunAsync("resume");

        Assert.True(orphans.All(p => !Directory.Exists($"/proc/{p}")) || orphans.All(p => IsZombie(p)),
            "resume went on while the compose its record missed was still running:\n" + resume.StandardError);
        Assert.Equal("succeeded", RunFiles.Latest(d).GetProperty("state").GetString());
        Assert.Equal([("sleeper", "running"), ("web", "running")], (await d.StatusAsync()).Select(s => (s.Service, s.State)).ToList());
        Assert.Equal(2, (await Docker.ContainerIdsAsync(d.DeploymentId)).Count);
        Assert.Contains("which its record missed", resume.StandardError);
    }

    [Fact]
    public async Task The_output_a_compose_left_running_wrote_after_slipway_was_killed_is_in_the_resume_log_and_its_folder_is_gone()
    {
        Assert.Contains("built slipway/hello:local", fixture.HelloBuild.StandardError);
        await using var ws = new Workspace();
        var (d, child) = await RestartRecordingItsComposeAsync(ws, "4s");
        using var _ = child;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var orphans = await child.KillAloneAsync();
        var recorded = RunFiles.Latest(d).GetProperty("children").EnumerateArray()
            .Where(c => orphans.Contains(c.GetProperty("pid").GetInt32())).ToList();
        var orphan = Assert.Single(recorded);
        var pid = orphan.GetProperty("pid").GetInt32();
        var folder = orphan.GetProperty("outputFolder").GetString()!;
        Assert.StartsWith(Path.Combine(Path.GetTempPath(), "slipway-child-"), folder);

        // Nobody reads the orphan's output while it finishes the recreate; what it wrote is all in its folder.
        while (Directory.Exists($"/proc/{pid}") && DateTime.UtcNow < deadline + TimeSpan.FromSeconds(90)) await Task.Delay(100);
        var written = File.ReadAllLines(Path.Combine(folder, "stderr")).Concat(File.ReadAllLines(Path.Combine(folder, "stdout")))
            .Where(l => l.Trim().Length > 0).ToList();
        Assert.Contains(written, l => l.Contains("Recreated", StringComparison.Ordinal));

        var resume = await d.RunAsync("resume");

        Assert.False(Directory.Exists(folder), $"{folder} is still there after resume");
        var log = RunFiles.Latest(d).GetProperty("logs").EnumerateArray().Last().GetString()!;
        var lines = await File.ReadAllLinesAsync(log);
        var from = Array.FindIndex(lines, l => l.Contains($"note: output of pid {pid} (", StringComparison.Ordinal) && l.Contains(folder, StringComparison.Ordinal));
        Assert.True(from >= 0, $"the resume log {log} does not hold the output of pid {pid}:\n{string.Join('\n', lines)}");
        var collected = lines.Skip(from + 1).TakeWhile(l => l.Contains("| ", StringComparison.Ordinal)).Select(l => l[(l.IndexOf("| ", StringComparison.Ordinal) + 2)..]).ToList();
        Assert.Equal(written.Order(StringComparer.Ordinal), collected.Where(l => l.Trim().Length > 0).Order(StringComparer.Ordinal));
        Assert.Equal("succeeded", RunFiles.Latest(d).GetProperty("state").GetString());
    }

    /// <summary>
    /// A started deployment and a `restart --force-recreate` of it in a child slipway, returned once run.json records a
    /// live compose child: what resume goes by. A child is recorded (written and fsynced) just after it starts; on a
    /// loaded machine that write can take longer than any fixed pause, and a kill before it is the window
    /// Resume_finds_and_waits_for_a_compose_the_dead_runs_record_missed covers.
    /// </summary>
    private static async Task<(TestDeployment D, ChildCli Child)> RestartRecordingItsComposeAsync(Workspace ws, string stopGrace)
    {
        var spec = await ws.InitAsync(RunStacks.Pipeline, "spec.yml", "--config", $"GREETING=v1,STOP_GRACE={stopGrace}", "--map-ports-to-host", "localhost-fixed-random");
        var d = await ws.CreateAsync(spec, "d");
        await d.RunAsync("start");
        var child = ChildCli.Start("deployment", "--dir", d.Directory, "restart", "--force-recreate");
        try
        {
            await child.WaitForStageAsync(d.Directory, "apply", TimeSpan.FromSeconds(60));
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!RecordsALiveChild(d, child) && DateTime.UtcNow < deadline) await Task.Delay(20);
            Assert.True(RecordsALiveChild(d, child), "the run never recorded its compose child:\n" + child.Output);
            return (d, child);
        }
        catch
        {
            child.Dispose();
            throw;
        }
    }

    private static bool RecordsALiveChild(TestDeployment d, ChildCli child)
    {
        var alive = child.Children();
        if (alive.Count == 0) return false;
        try
        {
            return RunFiles.Latest(d).GetProperty("children").EnumerateArray().Any(c => alive.Contains(c.GetProperty("pid").GetInt32()));
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return false; // not written yet, or read while it was renamed into place
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }
}
