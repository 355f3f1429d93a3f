using System.Text.Json;

namespace Slipway.Cli.Tests.Fleet;

/// <summary><c>fleet check-host</c>, the host side of fleet prepare: one start of Slipway answers for every deployment, as JSON.</summary>
public sealed class FleetHostCheckCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Check_host_renders_each_spec_of_the_export_in_memory_and_reports_each_deployment_directory_as_json()
    {
        _cli.WriteStackAndSpec();
        _cli.Workspace.WriteFile("bad/spec.yml", "stack: ../stack\ndeploy-to: composse\n");
        Directory.CreateDirectory(_cli.Path("hosts"));
        var deployments = JsonSerializer.Serialize(new[]
        {
            new { name = "web", spec = "spec.yml", dir = _cli.Path("hosts", "web") },
            new { name = "api", spec = "bad/spec.yml", dir = _cli.Path("hosts", "api") },
            new { name = "gone", spec = "nowhere/spec.yml", dir = _cli.Path("no-parent", "gone") },
        });

        var run = await _cli.RunAsync("fleet", "check-host", "--root", _cli.Path(), "--deployments", deployments);

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        Assert.StartsWith("slipway ", json.RootElement.GetProperty("version").GetString(), StringComparison.Ordinal);
        var checks = json.RootElement.GetProperty("checks").EnumerateArray()
            .Select(c => (c.GetProperty("deployment").GetString(), c.GetProperty("name").GetString(), c.GetProperty("status").GetString(), c.GetProperty("detail").GetString()!)).ToList();
        Assert.Equal([("web", "spec", "ok"), ("web", "dir", "ok"), ("api", "spec", "fail"), ("api", "dir", "ok"), ("gone", "spec", "fail"), ("gone", "dir", "fail")],
            checks.Select(c => (c.Item1, c.Item2, c.Item3)));
        Assert.StartsWith("bad/spec.yml:2:", checks[2].Item4, StringComparison.Ordinal);
        Assert.DoesNotContain(_cli.Path(), checks[2].Item4, StringComparison.Ordinal);
        Assert.Contains("not in the repository at the wanted commit", checks[4].Item4, StringComparison.Ordinal);
        Assert.Contains("fleet onboard --apply", checks[5].Item4, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_cli.Path(".slipway-check-web")), "the render wrote files");
        Assert.Empty(_cli.Runner.Calls);
    }

    [Fact]
    public async Task Without_an_export_check_host_checks_only_the_deployment_directories()
    {
        var run = await _cli.RunAsync("fleet", "check-host", "--root", "", "--deployments", $$"""[{"name": "web", "spec": "spec.yml", "dir": "{{_cli.Path("web")}}"}]""");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(["dir"], json.RootElement.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
    }
}
