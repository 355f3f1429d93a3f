using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Backends.Compose;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Tests.Support;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Tests.Pipeline;

/// <summary>What the pipeline needs from ComposeBackend: apply without waiting, image pins, plan and diagnose.</summary>
public sealed class ComposePipelineTests : IDisposable
{
    private const string Id = SampleDeployment.Id;
    private readonly TempWorkspace _workspace = new();
    private readonly FakeProcessRunner _runner = new() { Strict = true };
    private readonly string _d;
    private readonly ComposeBackend _backend;

    public ComposePipelineTests()
    {
        _d = SampleDeployment.Write(_workspace, withOverrides: false);
        _backend = new ComposeBackend(DeploymentSession.Open(_d), new Docker(_runner));
    }

    public void Dispose() => _workspace.Dispose();

    private string[] Project =>
    [
        "docker", "compose", "--ansi", "never", "--project-name", Id, "--env-file", $"{_d}/config.env",
        "--file", $"{_d}/compose/docker-compose-worker.yml", "--file", $"{_d}/compose/docker-compose-web.yml",
    ];

    private static string[] Argv(Slipway.Infrastructure.Processes.ProcessSpec spec) => [spec.FileName, .. spec.Arguments];

    [Fact]
    public async Task Apply_without_wait_leaves_health_to_the_verify_stage()
    {
        _runner.On("docker", "compose").Returns(0);

        await _backend.ApplyAsync(new ApplyOptions { Wait = false }, CancellationToken.None);

        Assert.Equal([.. Project, "up", "--detach", "--remove-orphans"], Argv(Assert.Single(_runner.Calls)));
    }

    [Fact]
    public async Task Image_pins_become_one_more_compose_file_that_sets_the_image_of_every_service_using_the_pinned_image()
    {
        _runner.On("docker", "compose").Returns(0);

        await _backend.ApplyAsync(new ApplyOptions { Wait = false, ImagePins = new Dictionary<string, string> { ["shop/web:local"] = "registry.test/shop/web:3f2a9c1d0b7e", ["other:1"] = "other:2" } }, CancellationToken.None);

        var pins = $"{_d}/.slipway/compose-images.yml";
        Assert.Equal([.. Project, "--file", pins, "up", "--detach", "--remove-orphans"], Argv(Assert.Single(_runner.Calls)));
        Assert.Equal(
            "# Written by slipway for one apply: image pins (stack image -> immutable reference).\nservices:\n"
            + "  web:\n    image: \"registry.test/shop/web:3f2a9c1d0b7e\"\n  worker:\n    image: \"registry.test/shop/web:3f2a9c1d0b7e\"\n",
            File.ReadAllText(pins));
        Assert.DoesNotContain("3f2a9c1d0b7e", File.ReadAllText($"{_d}/compose/docker-compose-web.yml"));
    }

    [Fact]
    public async Task A_service_a_host_local_override_gives_another_image_is_not_pinned()
    {
        _workspace.WriteFile("deployment/overrides/debug.yml", "services:\n  web:\n    image: myreg/web:debug\n");
        var backend = new ComposeBackend(DeploymentSession.Open(_d), new Docker(_runner));
        _runner.On("docker", "compose").Returns(0);

        await backend.ApplyAsync(new ApplyOptions { Wait = false, ImagePins = new Dictionary<string, string> { ["shop/web:local"] = "shop/web:3f2a9c1d0b7e" } }, CancellationToken.None);

        Assert.Equal(
            "# Written by slipway for one apply: image pins (stack image -> immutable reference).\nservices:\n"
            + "  worker:\n    image: \"shop/web:3f2a9c1d0b7e\"\n",
            File.ReadAllText($"{_d}/.slipway/compose-images.yml"));
    }

    [Fact]
    public async Task Pins_that_match_no_service_add_no_file()
    {
        _runner.On("docker", "compose").Returns(0);

        await _backend.ApplyAsync(new ApplyOptions { Wait = false, ImagePins = new Dictionary<string, string> { ["other:1"] = "other:2" } }, CancellationToken.None);

        Assert.DoesNotContain("--file", Argv(Assert.Single(_runner.Calls)).SkipWhile(a => !a.EndsWith("docker-compose-web.yml", StringComparison.Ordinal)).Skip(1));
    }

    [Fact]
    public async Task Plan_asks_compose_for_a_dry_run_and_reports_what_each_object_would_do()
    {
        _runner.On("docker", "compose", "--dry-run").Returns(0, stderr: $"""
             DRY-RUN MODE -  Network {Id}_default  Creating
             DRY-RUN MODE -  Network {Id}_default  Created
             DRY-RUN MODE -  Container {Id}-worker-1  Running
             DRY-RUN MODE -  Container {Id}-web-1  Recreate
             DRY-RUN MODE -  Container {Id}-web-1  Recreated
             DRY-RUN MODE -  Container b414e65f1681_{Id}-web-1  Starting
             DRY-RUN MODE -  Container {Id}-old-1  Removing
            """);

        var plan = await _backend.PlanAsync(new ApplyOptions(), CancellationToken.None);

        Assert.Equal(["docker", "compose", "--dry-run", .. Project[2..], "up", "--detach", "--remove-orphans"], Argv(Assert.Single(_runner.Calls)));
        Assert.Equal(
            [("network", "default", "create"), ("service", "old", "delete"), ("service", "web", "recreate"), ("service", "worker", "unchanged")],
            plan.Select(c => (c.Kind, c.Name, c.Action)));
    }

    [Fact]
    public async Task Plan_with_pins_sends_them_on_stdin_and_writes_nothing()
    {
        _runner.On("docker", "compose", "--dry-run").Returns(0);
        var before = Directory.EnumerateFiles(_d, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

        await _backend.PlanAsync(new ApplyOptions { ImagePins = new Dictionary<string, string> { ["shop/web:local"] = "shop/web:3f2a9c1d0b7e" } }, CancellationToken.None);

        var call = Assert.Single(_runner.Calls);
        Assert.Equal(["docker", "compose", "--dry-run", .. Project[2..], "--file", "-", "up", "--detach", "--remove-orphans"], Argv(call));
        Assert.Contains("  web:\n    image: \"shop/web:3f2a9c1d0b7e\"\n", call.StandardInput);
        Assert.Equal(before, Directory.EnumerateFiles(_d, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Diagnose_lists_every_container_and_digs_into_the_troubled_ones_only()
    {
        _runner.On("docker", "ps").Returns(0,
            $$"""{"ID":"aaaaaaaaaaaa1111","Names":"{{Id}}-web-1","State":"running","Status":"Up 9 seconds (unhealthy)","Labels":"com.docker.compose.project={{Id}},com.docker.compose.service=web","Ports":""}""" + "\n"
            + $$"""{"ID":"bbbbbbbbbbbb2222","Names":"{{Id}}-worker-1","State":"running","Status":"Up 9 seconds","Labels":"com.docker.compose.project={{Id}},com.docker.compose.service=worker","Ports":""}""" + "\n");
        _runner.On("docker", "inspect").Returns(0, """{"Status":"running","Running":true,"ExitCode":0,"Health":{"Status":"unhealthy","Log":[{"ExitCode":1,"Output":"wget: server returned error: HTTP/1.1 500\n"}]}}""");
        _runner.On("docker", "logs", "--tail", "20", "aaaaaaaaaaaa").Returns(0, $"connecting with {SampleDeployment.Password}\nlistening\n");

        var text = await _backend.DiagnoseAsync(20, CancellationToken.None);

        Assert.Contains("  web: " + Id + "-web-1 running (unhealthy)", text);
        Assert.Contains("  worker: " + Id + "-worker-1 running", text);
        Assert.Contains("health check exit 1: wget: server returned error: HTTP/1.1 500", text);
        Assert.Contains("    | listening", text);
        Assert.Contains("[REDACTED]", text);
        Assert.DoesNotContain(SampleDeployment.Password, text);
        Assert.Equal(3, _runner.Calls.Count); // ps, then inspect and logs of web alone
    }
}
