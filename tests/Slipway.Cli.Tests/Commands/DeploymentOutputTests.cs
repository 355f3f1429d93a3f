using System.Text.Json;

namespace Slipway.Cli.Tests.Commands;

public sealed class DeploymentOutputTests : IDisposable
{
    private const string PsJson =
        """{"ID":"a1","Labels":"com.docker.compose.service=web","Names":"tiny-web-1","Ports":"0.0.0.0:32768->80/tcp","State":"running","Status":"Up 2 seconds (healthy)"}""" + "\n"
        + """{"ID":"b2","Labels":"com.docker.compose.service=worker","Names":"tiny-worker-1","Ports":"","State":"exited","Status":"Exited (0) 1 second ago"}""" + "\n";

    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Status_as_json_prints_only_valid_json_on_stdout()
    {
        var d = await _cli.CreateDeploymentAsync();
        _cli.Runner.On("docker", "ps").Returns(0, PsJson);

        var run = await _cli.RunAsync("deployment", "--dir", d, "status", "--output", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.Err);
        using var json = JsonDocument.Parse(run.Out);
        var services = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(["web", "worker"], services.Select(s => s.GetProperty("service").GetString()));
        Assert.Equal("healthy", services[0].GetProperty("health").GetString());
        Assert.Equal(JsonValueKind.Null, services[1].GetProperty("health").ValueKind);
        var port = services[0].GetProperty("ports").EnumerateArray().Single();
        Assert.Equal(32768, port.GetProperty("hostPort").GetInt32());
        Assert.Equal(80, port.GetProperty("targetPort").GetInt32());
        Assert.EndsWith("ps --all --no-trunc --filter label=com.docker.compose.project=" + ProjectOf(d) + " --format '{{json .}}'", _cli.Runner.CallLines().Single());
    }

    [Fact]
    public async Task Status_as_json_with_no_containers_is_an_empty_array()
    {
        var d = await _cli.CreateDeploymentAsync();
        _cli.Runner.On("docker", "ps").Returns(0, "");

        var run = await _cli.RunAsync("deployment", "--dir", d, "ps", "--output", "json");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(0, JsonDocument.Parse(run.Out).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Status_as_text_prints_a_table_on_stdout()
    {
        var d = await _cli.CreateDeploymentAsync();
        _cli.Runner.On("docker", "ps").Returns(0, PsJson);

        var run = await _cli.RunAsync("deployment", "--dir", d, "status");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            """
            SERVICE  CONTAINER      STATE    HEALTH   PORTS
            web      tiny-web-1     running  healthy  0.0.0.0:32768->80/tcp
            worker   tiny-worker-1  exited   -        -

            """.ReplaceLineEndings("\n"),
            run.Out);
    }

    [Fact]
    public async Task Port_prints_exactly_host_and_port_on_stdout()
    {
        var d = await _cli.CreateDeploymentAsync();
        _cli.Runner.On("docker", "compose").Returns(0, "0.0.0.0:32768\n");

        var run = await _cli.RunAsync("deployment", "--dir", d, "port", "web", "80");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("0.0.0.0:32768\n", run.Out);
        Assert.Empty(run.Err);
        Assert.EndsWith("port web 80", _cli.Runner.CallLines().Single());
    }

    [Fact]
    public async Task A_port_that_is_not_published_is_not_found_with_nothing_on_stdout()
    {
        var d = await _cli.CreateDeploymentAsync();
        _cli.Runner.On("docker", "compose").Returns(0, "");

        var run = await _cli.RunAsync("deployment", "--dir", d, "port", "web", "81");

        Assert.True(run.ExitCode == ExitCodes.NotFound, run.ToString());
        Assert.Empty(run.Out);
        Assert.Contains("no published port 81", run.Err);
    }

    [Fact]
    public async Task Start_runs_compose_up_with_the_deployment_id_as_project_then_waits_for_health_and_logs_it()
    {
        var d = await _cli.CreateDeploymentAsync();
        var id = Slipway.Core.Deployments.DeploymentFile.Parse(File.ReadAllText(Path.Combine(d, "deployment.yml")), "deployment.yml").DeploymentId;
        _cli.Runner.On("docker", "compose").Returns(0);
        _cli.Runner.On("docker", "ps").Returns(0, HealthyWeb(id));

        var run = await _cli.RunAsync("deployment", "--dir", d, "start");

        Assert.True(run.ExitCode == 0, run.ToString());
        var ps = $"docker ps --all --no-trunc --filter label=com.docker.compose.project={id} --format '{{{{json .}}}}'";
        Assert.Equal(
            [
                $"docker compose --ansi never --project-name {id} --env-file {d}/config.env --file {d}/compose/docker-compose-web.yml up --detach --remove-orphans",
                ps, // verify (its last answer is also the status table printed at the end)
            ],
            _cli.Runner.CallLines());
        Assert.Contains("✓ [4/6] apply", run.Err);
        Assert.Contains("✓ [5/6] verify", run.Err);
        var log = File.ReadAllText(Assert.Single(Directory.GetFiles(Path.Combine(d, ".slipway", "logs"), "*-start.log")));
        Assert.Contains("up --detach --remove-orphans", log);
    }

    internal static string HealthyWeb(string project) =>
        $$"""{"ID":"0123456789abcdef","Names":"{{project}}-web-1","State":"running","Status":"Up 2 seconds (healthy)","Labels":"com.docker.compose.project={{project}},com.docker.compose.service=web","Ports":""}""" + "\n";

    [Fact]
    public async Task Stop_with_delete_volumes_lists_what_it_removed()
    {
        var d = await _cli.CreateDeploymentAsync();
        _cli.Runner.On("docker", "volume", "ls").Returns(0, "vol-b\nvol-a\n");
        _cli.Runner.On("docker", "volume", "inspect").Returns(0, """[{"Name":"vol-a","Mountpoint":"/v/a","Options":null},{"Name":"vol-b","Mountpoint":"/v/b","Options":null}]""");
        _cli.Runner.On("docker", "compose").Returns(0);

        var run = await _cli.RunAsync("deployment", "--dir", d, "stop", "--delete-volumes");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("removed Docker volumes: vol-a, vol-b", run.Err);
        Assert.EndsWith("down --remove-orphans --volumes", _cli.Runner.CallLines()[^1]);
    }

    [Fact]
    public async Task Logs_passes_tail_and_follow_to_compose()
    {
        var d = await _cli.CreateDeploymentAsync();
        _cli.Runner.On("docker", "compose").Returns(0);

        var run = await _cli.RunAsync("deployment", "--dir", d, "logs", "-f", "-n", "5", "web");

        Assert.Equal(0, run.ExitCode);
        Assert.EndsWith("logs --no-color --follow --tail 5 web", _cli.Runner.CallLines().Single());
    }

    private static string ProjectOf(string d) =>
        Slipway.Core.Deployments.DeploymentFile.Parse(File.ReadAllText(Path.Combine(d, "deployment.yml")), "deployment.yml").DeploymentId;
}
