using System.Text.Json;
using Slipway.Cli.Tests.Commands;

namespace Slipway.Cli.Tests.Pipeline;

/// <summary><c>diagnose --output json</c>: the same facts as its text, typed.</summary>
public sealed class DiagnoseJsonTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Diagnose_as_json_has_the_failed_run_its_stages_the_pin_and_each_service_state()
    {
        var d = await _cli.CreateDeploymentAsync();
        var id = Slipway.Core.Deployments.DeploymentFile.Parse(File.ReadAllText(Path.Combine(d, "deployment.yml")), "deployment.yml").DeploymentId;
        _cli.Runner.On("docker", "compose", "--dry-run").Returns(0);
        _cli.Runner.OnContaining("up").Returns(1, stderr: "Error response from daemon: no space left on device\n");
        _cli.Runner.On("docker", "compose").Returns(0);
        _cli.Runner.On("docker", "ps").Returns(0, DeploymentOutputTests.HealthyWeb(id));
        var start = await _cli.RunAsync("deployment", "--dir", d, "start");
        Assert.NotEqual(ExitCodes.Success, start.ExitCode);
        Slipway.Infrastructure.Pipeline.DeploymentPin.Write(new Slipway.Core.Deployments.DeploymentLayout(d),
            new(1, null, "20261202-000000-abcd", new DateTimeOffset(2026, 12, 2, 3, 4, 5, TimeSpan.Zero)));

        var run = await _cli.RunAsync("deployment", "--dir", d, "diagnose", "--output", "json");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        var last = root.GetProperty("lastRun");
        Assert.Equal("start", last.GetProperty("command").GetString());
        Assert.Equal("failed", last.GetProperty("state").GetString());
        Assert.Contains("no space left on device", last.GetProperty("failure").GetString());
        Assert.Contains(last.GetProperty("stages").EnumerateArray(), s => s.GetProperty("name").GetString() == "apply" && s.GetProperty("state").GetString() == "failed");
        Assert.Equal(JsonValueKind.Null, last.GetProperty("resume").ValueKind);
        Assert.EndsWith(".log", last.GetProperty("log").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("lock").ValueKind);
        Assert.Equal((1, "20261202-000000-abcd"), (root.GetProperty("pin").GetProperty("revision").GetInt32(), root.GetProperty("pin").GetProperty("runId").GetString()));
        var web = Assert.Single(root.GetProperty("services").EnumerateArray());
        Assert.Equal(("web", "running", "healthy", "ready"),
            (web.GetProperty("service").GetString(), web.GetProperty("state").GetString(), web.GetProperty("health").GetString(), web.GetProperty("condition").GetString()));
        Assert.False(string.IsNullOrEmpty(root.GetProperty("diagnosis").GetString()));
    }

    [Fact]
    public async Task Diagnose_as_json_of_a_run_whose_process_is_gone_says_interrupted_and_how_to_resume()
    {
        var d = await _cli.CreateDeploymentAsync();
        // A run recorded as running that holds no lock: its process was killed.
        new Slipway.Infrastructure.Pipeline.RunStore(new Slipway.Core.Deployments.DeploymentLayout(d)).Save(new Slipway.Infrastructure.Pipeline.RunRecord
        {
            Id = "20261202-000000000-start-dead",
            Command = "start",
            State = Slipway.Infrastructure.Pipeline.RunState.Running,
            Stages = [new() { Name = "prepare", State = Slipway.Infrastructure.Pipeline.StageState.Done }, new() { Name = "apply", State = Slipway.Infrastructure.Pipeline.StageState.Running }],
        });

        var run = await _cli.RunAsync("deployment", "--dir", d, "diagnose", "--output", "json");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        var last = json.RootElement.GetProperty("lastRun");
        Assert.Equal("interrupted", last.GetProperty("state").GetString());
        Assert.Equal($"slipway deployment --dir {d} resume", last.GetProperty("resume").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("pin").ValueKind);
    }
}
