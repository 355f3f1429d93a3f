using System.Text.RegularExpressions;
using Slipway.Infrastructure.Processes;
using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.Rollout;

/// <summary>
/// rollout.strategy start-first on the real Docker Engine: a stateless service is replaced while another container of
/// the stack keeps requesting it by name, and not one request fails; a new version that never gets healthy is removed
/// and the old container goes on serving.
/// </summary>
[Collection(SideBySideCollection.Name)]
public sealed partial class StartFirstTests(DockerFixture fixture)
{
    private static string Stack => Path.Combine(Paths.RepositoryRoot, "tests", "Slipway.IntegrationTests", "Rollout", "Stacks", "rollout");

    private const string Rollout = "rollout:\n  strategy: start-first\n  timeout: 90s\nverify:\n  - service: web\n    http: /\n    port: 80\n";

    private async Task<(string Spec, TestDeployment D)> CreateAsync(Workspace ws, string mapPorts = "any-variable-random")
    {
        Assert.Contains("built slipway/hello:local", fixture.HelloBuild.StandardError);
        var spec = await ws.InitAsync(Stack, "spec.yml", "--config", "GREETING=v1,HEALTHY=yes", "--map-ports-to-host", mapPorts);
        await File.AppendAllTextAsync(spec, Rollout);
        return (spec, await ws.CreateAsync(spec, "d"));
    }

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

    private static async Task<IReadOnlyList<string>> ContainersAsync(TestDeployment d, string service) =>
        Docker.Lines(await Docker.OutputAsync("ps", "--all", "--filter", $"label=com.docker.compose.project={d.DeploymentId}",
            "--filter", $"label=com.docker.compose.service={service}", "--format", "{{.ID}}"));

    /// <summary>
    /// Requests http://web/ from the client container every 20 ms (busybox wget, whose own -T crashes in this image, under timeout) until the test says stop (at most 3000 times, so it
    /// is bounded); each answer's greeting is kept, each failure counted. No retries: one failed request is a failure.
    /// </summary>
    private static async Task<RequestLoop> StartLoopAsync(TestDeployment d)
    {
        var client = Assert.Single(await ContainersAsync(d, "client"));
        const string Script = "rm -f /tmp/stop /tmp/seen; ok=0; fail=0; i=0; "
            + "while [ ! -f /tmp/stop ] && [ $i -lt 3000 ]; do i=$((i+1)); "
            + "if page=$(timeout 3 wget -q -O - http://web/ 2>&1); then ok=$((ok+1)); echo \"$page\" | grep -o '<h1>[^<]*</h1>' >> /tmp/seen; "
            + "else fail=$((fail+1)); echo \"failed: $page\" >> /tmp/seen; fi; usleep 20000; done; echo ok=$ok fail=$fail";
        var loop = Docker.RunAsync("exec", client, "/bin/sh", "-c", Script);
        // The loop has to be requesting before the rollout starts: wait for its first answer.
        for (var i = 0; i < 100 && !(await Docker.RunAsync("exec", client, "test", "-s", "/tmp/seen")).Succeeded; i++) await Task.Delay(100);
        return new RequestLoop(client, loop);
    }

    private sealed record RequestLoop(string Client, Task<ProcessResult> Loop)
    {
        public async Task<(int Ok, int Failed, IReadOnlyList<string> Seen)> StopAsync()
        {
            (await Docker.RunAsync("exec", Client, "touch", "/tmp/stop")).ShouldSucceed();
            var result = await Loop;
            result.ShouldSucceed();
            var counts = CountsLine().Match(result.StandardOutput);
            Assert.True(counts.Success, $"the request loop printed no counts:\n{result}");
            var seen = Docker.Lines(await Docker.OutputAsync("exec", Client, "cat", "/tmp/seen"));
            return (int.Parse(counts.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(counts.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), seen);
        }
    }

    [GeneratedRegex(@"ok=(\d+) fail=(\d+)")]
    private static partial Regex CountsLine();

    [Fact]
    public async Task A_start_first_restart_of_a_stateless_service_loses_no_request_of_a_client_in_the_stack()
    {
        await using var ws = new Workspace();
        var (spec, d) = await CreateAsync(ws);
        await d.RunAsync("start");
        var before = Assert.Single(await ContainersAsync(d, "web"));
        var clientBefore = Assert.Single(await ContainersAsync(d, "client"));

        await UpdateAsync(spec, d, ("GREETING", "v2"));
        var loop = await StartLoopAsync(d);
        var start = await d.RunAsync("start");
        var (ok, failed, seen) = await loop.StopAsync();

        Assert.True(failed == 0, $"{failed} of {ok + failed} requests failed during the start-first rollout:\n{string.Join('\n', seen.Where(s => s.StartsWith("failed", StringComparison.Ordinal)))}");
        Assert.Contains("<h1>v1</h1>", seen);
        Assert.Contains("<h1>v2</h1>", seen);
        Assert.Equal("<h1>v2</h1>", seen[^1]);
        var after = Assert.Single(await ContainersAsync(d, "web"));
        Assert.NotEqual(before, after);
        Assert.Equal(clientBefore, Assert.Single(await ContainersAsync(d, "client")));
        Assert.Contains("start-first web", await File.ReadAllTextAsync(LogOf(start)));
        Assert.Contains("<h1>v2</h1>", await Http.GetOkAsync(await d.UrlAsync("web", 80), "/"));
    }

    [Fact]
    public async Task A_new_version_that_never_gets_healthy_is_removed_and_the_old_container_keeps_serving()
    {
        await using var ws = new Workspace();
        var (spec, d) = await CreateAsync(ws);
        await d.RunAsync("start");
        var before = Assert.Single(await ContainersAsync(d, "web"));

        await UpdateAsync(spec, d, ("GREETING", "v2"), ("HEALTHY", "no"));
        var loop = await StartLoopAsync(d);
        var bad = await d.RunUncheckedAsync("start", "--wait-timeout", "40");
        var (ok, failed, seen) = await loop.StopAsync();

        Assert.True(bad.ExitCode is Cli.ExitCodes.RolledBack, $"expected the run to be rolled back:\n{bad}");
        Assert.Contains("start-first web: the new container", bad.StandardError);
        Assert.Contains("the old container keeps serving", bad.StandardError);
        Assert.True(failed == 0, $"{failed} of {ok + failed} requests failed while the bad version was tried");
        Assert.True(ok > 0);
        Assert.All(seen, s => Assert.Equal("<h1>v1</h1>", s));
        Assert.Equal(before, Assert.Single(await ContainersAsync(d, "web")));
        Assert.Contains("<h1>v1</h1>", await Http.GetOkAsync(await d.UrlAsync("web", 80), "/"));
    }

    [Fact]
    public async Task A_new_container_without_a_health_check_that_exits_a_second_after_its_start_is_failed_and_the_old_one_keeps_running()
    {
        Assert.Contains("built slipway/hello:local", fixture.HelloBuild.StandardError);
        await using var ws = new Workspace();
        var spec = await ws.InitAsync(Path.Combine(Paths.RepositoryRoot, "tests", "Slipway.IntegrationTests", "Rollout", "Stacks", "no-healthcheck"), "spec.yml",
            "--config", "EXIT_AFTER=never");
        await File.AppendAllTextAsync(spec, "rollout:\n  strategy: start-first\n  timeout: 60s\n");
        var d = await ws.CreateAsync(spec, "d");
        await d.RunAsync("start");
        var before = Assert.Single(await ContainersAsync(d, "worker"));

        // Running when first looked at, exited a second later: verify's rule (up 2 s since its last start) must hold here too.
        await UpdateAsync(spec, d, ("EXIT_AFTER", "1"));
        var bad = await d.RunUncheckedAsync("start", "--wait-timeout", "40");

        Assert.True(bad.ExitCode is Cli.ExitCodes.RolledBack, $"expected the run to be rolled back:\n{bad}");
        Assert.Contains("start-first worker: the new container", bad.StandardError);
        Assert.Contains("the old container keeps serving", bad.StandardError);
        Assert.Equal(before, Assert.Single(await ContainersAsync(d, "worker")));
        Assert.Equal("running", (await Docker.OutputAsync("inspect", "--format", "{{.State.Status}}", before)).Trim());
    }

    [Fact]
    public async Task Start_first_for_a_service_with_a_fixed_host_port_is_refused_at_prepare_with_what_would_make_it_work()
    {
        await using var ws = new Workspace();
        var (_, d) = await CreateAsync(ws, "localhost-fixed-random");

        var refused = await d.RunAsync(Cli.ExitCodes.InvalidInput, "start");

        Assert.Contains("rollout.strategy is start-first, but service 'web' cannot run a new container beside the old one", refused.StandardError);
        Assert.Contains("fixed host port", refused.StandardError);
        Assert.Contains("a proxy in front", refused.StandardError);
        Assert.Empty(await ContainersAsync(d, "web"));
    }

    private static string LogOf(CliResult result)
    {
        var log = Regex.Match(result.StandardError, @"(?m)(?:^log: |; log )(\S+)").Groups[1].Value.Trim();
        Assert.True(log.Length > 0, $"no log path in:\n{result}");
        return log;
    }
}
