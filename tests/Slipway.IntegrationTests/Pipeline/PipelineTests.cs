using System.Text.Json;
using System.Text.RegularExpressions;
using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.Pipeline;

/// <summary>The staged run on the real Docker Engine: rollback on a bad release, history, kill and resume, the lock.</summary>
[Collection(SideBySideCollection.Name)]
public sealed class PipelineTests(DockerFixture fixture)
{
    private static string Stack => Path.Combine(Paths.RepositoryRoot, "tests", "Slipway.IntegrationTests", "Pipeline", "Stacks", "pipeline");

    private async Task<(string Spec, TestDeployment D)> CreateAsync(Workspace ws, string config)
    {
        Assert.Contains("built slipway/hello:local", fixture.HelloBuild.StandardError);
        var spec = await ws.InitAsync(Stack, "spec.yml", "--config", config, "--map-ports-to-host", "localhost-fixed-random");
        return (spec, await ws.CreateAsync(spec, "d"));
    }

    /// <summary>Sets spec config keys (as deploy init wrote them) and syncs D with deploy create --update.</summary>
    private static async Task UpdateAsync(string spec, TestDeployment d, params (string Key, string Value)[] config)
    {
        var text = await File.ReadAllTextAsync(spec);
        foreach (var (key, value) in config)
        {
            var replaced = Regex.Replace(text, $"(?m)^  {key}: .*$", $"  {key}: \"{value}\"");
            Assert.NotEqual(text, replaced);
            text = replaced;
        }

        await File.WriteAllTextAsync(spec, text);
        await SlipwayCommand.RunAsync("deploy", "create", "--spec-file", spec, "--deployment-dir", d.Directory, "--update");
    }

    // The reference the container was created from (.Config.Image), not docker ps's column, which shows an image id once
    // another test's build has moved the tag (every start of the example stack retags slipway/hello:local).
    private static async Task<string> ImageOfAsync(TestDeployment d, string service)
    {
        var id = (await Docker.OutputAsync("ps", "-q", "--filter", $"label=com.docker.compose.project={d.DeploymentId}", "--filter", $"label=com.docker.compose.service={service}")).Trim();
        return (await Docker.OutputAsync("inspect", "--format", "{{.Config.Image}}", id)).Trim();
    }

    private static JsonElement LatestRun(TestDeployment d)
    {
        var dir = Directory.GetDirectories(d.File(".slipway", "runs")).Order(StringComparer.Ordinal).Last();
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "run.json")));
        return json.RootElement.Clone();
    }

    private static string StageStates(JsonElement run) =>
        string.Join(" ", run.GetProperty("stages").EnumerateArray().Select(s => $"{s.GetProperty("name").GetString()}:{s.GetProperty("state").GetString()}"));

    [Fact]
    public async Task An_unhealthy_release_is_rolled_back_to_the_last_good_revision_and_rollback_to_revision_brings_back_its_images_and_config()
    {
        const string Pinned = "slipway/hello:pipeline-test-v2";
        (await Docker.RunAsync("tag", "slipway/hello:local", Pinned)).ShouldSucceed();
        try
        {
            await using var ws = new Workspace();
            var (spec, d) = await CreateAsync(ws, "GREETING=v1,HEALTHY=yes");

            await d.RunAsync("start");
            var url = await d.UrlAsync("web", 80);
            Assert.Contains("<h1>v1</h1>", await Http.GetOkAsync(url, "/"));

            // Revision 2: new config and, for this run, another image for web.
            await UpdateAsync(spec, d, ("GREETING", "v2"));
            var pinned = await d.RunAsync("restart", "--image", $"web={Pinned}");
            Assert.Contains("<h1>v2</h1>", await Http.GetOkAsync(url, "/"));
            Assert.Equal(Pinned, await ImageOfAsync(d, "web"));
            // web only: sleeper runs the same stack image and keeps it, and the run says so.
            Assert.Equal("slipway/hello:local", await ImageOfAsync(d, "sleeper"));
            Assert.Contains($"--image web={Pinned} pins web only: sleeper shares its image slipway/hello:local and keeps its own", pinned.StandardError);

            // Revision 3 fails its health check: diagnosed, recorded as failed, revision 2 put back.
            await UpdateAsync(spec, d, ("GREETING", "v3"), ("HEALTHY", "no"));
            var bad = await d.RunAsync(Cli.ExitCodes.RolledBack, "start", "--wait-timeout", "60");
            Assert.Contains("rolled back to revision 2", bad.StandardError);
            Assert.Contains("<h1>v2</h1>", await Http.GetOkAsync(url, "/"));
            Assert.Equal(Pinned, await ImageOfAsync(d, "web"));
            Assert.All(await d.StatusAsync(), s => Assert.Equal("running", s.State));
            var log = Regex.Match(bad.StandardError, @"(?m)^log: (.+)$").Groups[1].Value.Trim();
            var logText = await File.ReadAllTextAsync(log);
            Assert.Contains("note: diagnosis:", logText);
            Assert.Contains("service web", logText);
            Assert.Contains("health check exit 1", logText);
            Assert.Contains("last 50 log lines", logText);
            // The console names the cause: the distinct health-check result once with a count, the container's last log
            // lines, and stage numbers that do not jump (the rollback counts on its own).
            Assert.Matches(@"health check exit 1 \(\d+ times\): \(no output\)", bad.StandardError);
            Assert.Contains("| hello web: serving on :80", bad.StandardError);
            Assert.Contains("[rollback 3/3] rollback-verify", bad.StandardError);
            Assert.DoesNotContain("/9]", bad.StandardError);
            // After the rollback the live state is healthy; diagnose still shows why the run failed.
            var diagnose = (await d.RunAsync("diagnose")).StandardOutput;
            Assert.Matches(@"(?m)^when run \S+ failed:$", diagnose);
            Assert.Matches(@"health check exit 1 \(\d+ times\)", diagnose);
            Assert.Contains("\nnow:\n", diagnose);
            var failed = LatestRun(d);
            Assert.Equal("rolled-back", failed.GetProperty("state").GetString());
            Assert.Equal(
                "prepare:done build:skipped push:done apply:done verify:failed record:skipped diagnose:done rollback-apply:done rollback-verify:done", // push: the pins carried from revision 2
                StageStates(failed));

            // Back to revision 1: its config (v1) and its images (the stack's own), as a new revision 4.
            await d.RunAsync("rollback", "--to-revision", "1");
            Assert.Contains("<h1>v1</h1>", await Http.GetOkAsync(url, "/"));
            Assert.Equal("slipway/hello:local", await ImageOfAsync(d, "web"));

            var history = await d.RunAsync("history", "--output", "json");
            using var json = JsonDocument.Parse(history.StandardOutput);
            var revisions = json.RootElement.EnumerateArray().ToList();
            Assert.Equal([1, 2, 3, 4], revisions.Select(r => r.GetProperty("revision").GetInt32()));
            Assert.Equal(["good", "good", "failed", "good"], revisions.Select(r => r.GetProperty("result").GetString()));
            Assert.Equal(Pinned, revisions[1].GetProperty("images").GetProperty("web").GetString());
            Assert.Equal("slipway/hello:local", revisions[3].GetProperty("images").GetProperty("web").GetString());
            Assert.Equal(1, revisions[3].GetProperty("sourceRevision").GetInt32());
            Assert.True(revisions[3].GetProperty("current").GetBoolean());
            Assert.Equal(revisions[0].GetProperty("specHash").GetString(), revisions[3].GetProperty("specHash").GetString());
            Assert.NotEqual(revisions[0].GetProperty("specHash").GetString(), revisions[1].GetProperty("specHash").GetString());
        }
        finally
        {
            await Docker.RunAsync("rmi", Pinned);
        }
    }

    [Fact]
    public async Task A_run_killed_during_apply_is_refused_to_others_and_finished_by_resume()
    {
        await using var ws = new Workspace();
        var (_, d) = await CreateAsync(ws, "GREETING=v1,STOP_GRACE=8s");
        await d.RunAsync("start");

        // Recreating "sleeper" waits its 8 s stop grace: the apply stage is long enough to be caught.
        using var child = ChildCli.Start("deployment", "--dir", d.Directory, "restart", "--force-recreate");
        await child.WaitForStageAsync(d.Directory, "apply", TimeSpan.FromSeconds(60));

        var concurrent = await d.RunAsync(Cli.ExitCodes.Locked, "start");
        Assert.Contains($"is locked by run", concurrent.StandardError);
        Assert.Contains($"pid {child.Pid}", concurrent.StandardError);

        await child.KillAsync();
        Assert.Equal("running", ChildCli.StageState(d.File(".slipway", "runs"), "apply"));

        var stale = await d.RunAsync(Cli.ExitCodes.Locked, "start");
        Assert.Contains("stale lock", stale.StandardError);
        Assert.Contains($"pid {child.Pid}", stale.StandardError);
        Assert.Contains("--break-lock", stale.StandardError);

        var resume = await d.RunAsync("resume");
        Assert.Contains("resuming run", resume.StandardError);
        Assert.Contains("at stage apply", resume.StandardError);
        var run = LatestRun(d);
        Assert.Equal("succeeded", run.GetProperty("state").GetString());
        Assert.Equal("prepare:done build:skipped push:skipped apply:done verify:done record:done", StageStates(run));
        Assert.Equal(2, run.GetProperty("logs").GetArrayLength());
        Assert.False(File.Exists(d.File(".slipway", "lock")));
        Assert.Contains("<h1>v1</h1>", await Http.GetOkAsync(await d.UrlAsync("web", 80), "/"));
        Assert.All(await d.StatusAsync(), s => Assert.Equal("running", s.State));

        await d.RunAsync(Cli.ExitCodes.NotFound, "resume");
    }

    [Fact]
    public async Task A_run_killed_during_verify_is_finished_by_resume_and_a_stale_lock_can_be_broken()
    {
        await using var ws = new Workspace();
        var (_, d) = await CreateAsync(ws, "GREETING=v1,READY_AFTER=10,START_PERIOD=60s");

        using (var child = ChildCli.Start("deployment", "--dir", d.Directory, "start"))
        {
            await child.WaitForStageAsync(d.Directory, "verify", TimeSpan.FromSeconds(60));
            await child.KillAsync();
        }

        Assert.Equal("running", ChildCli.StageState(d.File(".slipway", "runs"), "verify"));
        Assert.True(File.Exists(d.File(".slipway", "lock")), "a killed run leaves its lock behind");

        var resume = await d.RunAsync("resume");
        Assert.Contains("at stage verify", resume.StandardError);
        var run = LatestRun(d);
        Assert.Equal("succeeded", run.GetProperty("state").GetString());
        Assert.Equal("prepare:done build:skipped push:skipped apply:done verify:done record:done", StageStates(run));
        Assert.Contains("<h1>v1</h1>", await Http.GetOkAsync(await d.UrlAsync("web", 80), "/"));

        // Another run killed mid-apply: the next start reports the stale lock, --break-lock takes it.
        using (var child = ChildCli.Start("deployment", "--dir", d.Directory, "restart", "--force-recreate"))
        {
            await child.WaitForStageAsync(d.Directory, "apply", TimeSpan.FromSeconds(60));
            await child.KillAsync();
        }

        var refused = await d.RunAsync(Cli.ExitCodes.Locked, "start");
        Assert.Contains("stale lock", refused.StandardError);
        var broken = await d.RunAsync("start", "--break-lock");
        Assert.Contains("broke the stale lock", broken.StandardError);
        Assert.Contains("abandoned", broken.StandardError);
        Assert.Equal("succeeded", LatestRun(d).GetProperty("state").GetString());
    }
}
