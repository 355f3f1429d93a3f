using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;

namespace Slipway.IntegrationTests;

[Collection(SideBySideCollection.Name)]
public sealed class HelloLifecycleTests(DockerFixture fixture)
{
    [Fact]
    public async Task Example_stack_runs_through_init_create_start_stop_restart_and_keeps_its_data()
    {
        // build-containers ran once in the fixture; the image it reported is really there.
        Assert.Contains("built slipway/hello:local", fixture.HelloBuild.StandardError);
        (await Docker.RunAsync("image", "inspect", "slipway/hello:local")).ShouldSucceed();

        await using var ws = new Workspace();
        const string Greeting = "Ahoy from the integration tests";
        var spec = await ws.InitAsync(Paths.HelloStack, "hello-spec.yml", "--config", $"GREETING={Greeting}", "--map-ports-to-host", "localhost-fixed-random");
        var d = await ws.CreateAsync(spec, "hello");

        await d.RunAsync("start");

        foreach (var verb in new[] { "status", "ps" })
        {
            var states = await d.StatusAsync(verb);
            Assert.Equal(["counter", "web"], states.Select(s => s.Service).Order(StringComparer.Ordinal));
            Assert.All(states, s => Assert.Equal(("running", "healthy"), (s.State, s.Health)));
        }

        var port = (await d.RunAsync("port", "web", "80")).StandardOutput.Trim();
        Assert.Matches(@"^127\.0\.0\.1:\d+$", port);
        var url = Http.BaseUrl(port);
        var page = await Http.GetOkAsync(url, "/");
        Assert.Contains($"<h1>{Greeting}</h1>", page);
        Assert.Contains("<span id=\"starts\">1</span>", page);
        var motd = await File.ReadAllTextAsync(Path.Combine(Paths.HelloStack, "config", "hello", "motd.txt"));
        Assert.Equal(motd, await Http.GetOkAsync(url, "/motd.txt"));

        // stop, then start: same data (host path D/data/hello-data), one more start recorded.
        await d.RunAsync("stop");
        Assert.Empty(await Docker.ContainerIdsAsync(d.DeploymentId));
        await d.RunAsync("start");
        var startsLog = d.File("data", "hello-data", "starts.log");
        Assert.True(File.Exists(startsLog), $"{startsLog} should hold the counter's data on the host");
        Assert.Equal(2, File.ReadAllLines(startsLog).Length);
        Assert.Contains("<span id=\"starts\">2</span>", await Http.GetOkAsync(url, "/"));

        // restart recreates every container, and the data stays.
        var before = (await d.StatusAsync()).ToDictionary(s => s.Service, s => s.Id);
        await d.RunAsync("restart", "--force-recreate");
        var after = (await d.StatusAsync()).ToDictionary(s => s.Service, s => s.Id);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.All(before, kv => Assert.NotEqual(kv.Value, after[kv.Key]));
        Assert.All(await d.StatusAsync(), s => Assert.Equal(("running", "healthy"), (s.State, s.Health)));
        Assert.Equal(3, File.ReadAllLines(startsLog).Length);
        Assert.Contains("<span id=\"starts\">3</span>", await Http.GetOkAsync(url, "/"));

        await d.RunAsync("logs", "-n", "5", "web");
        // Piped (as here), the log lines carry no terminal codes: compose writes ESC[2K before each even with --ansi never.
        var counterLogs = (await d.RunAsync("logs", "counter")).StandardOutput;
        Assert.Contains("hello counter: start number 3 recorded", counterLogs);
        Assert.DoesNotContain('\u001b', counterLogs);
        await d.RunAsync("exec", "counter", "cat", "/data/starts.log");
        var failing = await SlipwayCommand.RunFailingAsync("deployment", "--dir", d.Directory, "exec", "web", "false");
        Assert.Equal(1, failing.ExitCode); // busybox false exits 1, and exec passes it through

        // Every mutating command logged its child commands.
        var logs = Directory.GetFiles(d.File(".slipway", "logs"), "*.log");
        var startLog = logs.FirstOrDefault(f => f.EndsWith("-start.log", StringComparison.Ordinal));
        Assert.True(startLog is not null, "no *-start.log in .slipway/logs: " + string.Join(", ", logs.Select(Path.GetFileName)));
        var text = await File.ReadAllTextAsync(startLog);
        Assert.Contains($"docker compose --ansi never --project-name {d.DeploymentId}", text);
        Assert.Contains(" up --detach --remove-orphans", text);
        Assert.DoesNotContain(Greeting, string.Concat(logs.Select(File.ReadAllText))); // config values are redacted
    }
}
