using System.Text.Json;
using Slipway.Cli.Tests.Commands;

namespace Slipway.Cli.Tests.Pipeline;

public sealed class PipelineCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private async Task<string> StartedDeploymentAsync()
    {
        var d = await _cli.CreateDeploymentAsync();
        var id = Slipway.Core.Deployments.DeploymentFile.Parse(File.ReadAllText(Path.Combine(d, "deployment.yml")), "deployment.yml").DeploymentId;
        // Rules answer in the order added: plan's dry run first, then every other compose call.
        _cli.Runner.On("docker", "compose", "--dry-run").Returns(0, stderr: " DRY-RUN MODE -  Container x-web-1  Recreate\n");
        _cli.Runner.On("docker", "compose").Returns(0);
        _cli.Runner.On("docker", "ps").Returns(0, DeploymentOutputTests.HealthyWeb(id));
        var start = await _cli.RunAsync("deployment", "--dir", d, "start");
        Assert.True(start.ExitCode == ExitCodes.Success, start.ToString());
        return d;
    }

    [Fact]
    public async Task History_as_json_lists_the_revision_a_start_recorded()
    {
        var d = await StartedDeploymentAsync();

        var run = await _cli.RunAsync("deployment", "--dir", d, "history", "--output", "json");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        var revision = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(1, revision.GetProperty("revision").GetInt32());
        Assert.Equal("good", revision.GetProperty("result").GetString());
        Assert.True(revision.GetProperty("current").GetBoolean());
        Assert.Equal("busybox", revision.GetProperty("images").GetProperty("web").GetString());
        Assert.Matches("^[0-9a-f]{12}$", revision.GetProperty("specHash").GetString());
    }

    [Fact]
    public async Task History_and_diagnose_show_the_rollback_pin_in_text_and_json()
    {
        var d = await StartedDeploymentAsync();
        var layout = new Slipway.Core.Deployments.DeploymentLayout(d);
        Slipway.Infrastructure.Pipeline.DeploymentPin.Write(layout, new(1, null, "20261202-000000-abcd", new DateTimeOffset(2026, 12, 2, 3, 4, 5, TimeSpan.Zero)));

        var text = await _cli.RunAsync("deployment", "--dir", d, "history");
        var json = await _cli.RunAsync("deployment", "--dir", d, "history", "--output", "json");
        var diagnose = await _cli.RunAsync("deployment", "--dir", d, "diagnose");

        Assert.True(text.ExitCode == ExitCodes.Success, text.ToString());
        Assert.Contains("1* (pinned)", text.Out);
        Assert.Contains("pinned to revision 1 by rollback run 20261202-000000-abcd at 2026-12-02 03:04:05Z: start and restart refuse to move on without --unpin", text.Err);
        using var document = JsonDocument.Parse(json.Out);
        var pin = Assert.Single(document.RootElement.EnumerateArray()).GetProperty("pin");
        Assert.Equal("20261202-000000-abcd", pin.GetProperty("runId").GetString());
        Assert.True(diagnose.ExitCode == ExitCodes.Success, diagnose.ToString());
        Assert.Contains("pin: revision 1 by rollback run 20261202-000000-abcd at 2026-12-02 03:04:05Z; start and restart refuse to move on without --unpin", diagnose.Out);
    }

    [Fact]
    public async Task History_as_json_of_an_unpinned_deployment_has_no_pin()
    {
        var d = await StartedDeploymentAsync();

        var json = await _cli.RunAsync("deployment", "--dir", d, "history", "--output", "json");

        using var document = JsonDocument.Parse(json.Out);
        Assert.Equal(JsonValueKind.Null, Assert.Single(document.RootElement.EnumerateArray()).GetProperty("pin").ValueKind);
    }

    [Fact]
    public async Task History_names_where_each_revision_came_from_and_says_when_a_source_is_not_in_git()
    {
        var d = await StartedDeploymentAsync();

        var text = await _cli.RunAsync("deployment", "--dir", d, "history");
        var json = await _cli.RunAsync("deployment", "--dir", d, "history", "--output", "json");

        Assert.Contains("SOURCES", text.Out);
        Assert.Contains("stack not in git, spec not in git", text.Out);
        using var document = JsonDocument.Parse(json.Out);
        var sources = document.RootElement[0].GetProperty("sources").EnumerateArray().ToList();
        Assert.Equal(["stack", "spec"], sources.Select(s => s.GetProperty("role").GetString()!));
        Assert.All(sources, s => Assert.Equal(JsonValueKind.Null, s.GetProperty("commit").ValueKind));
        Assert.EndsWith("spec.yml", sources[1].GetProperty("path").GetString());
        Assert.All(sources, s => Assert.False(s.GetProperty("override").GetBoolean()));
    }

    [Fact]
    public void History_names_the_pods_repositories_and_a_stack_path_or_spec_file_a_restart_used_instead_of_deployment_yml()
    {
        const string Commit = "bf471c275ee31edb19acb6bc14c33846343ec839";
        const string Pod = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c";

        var text = Slipway.Cli.Commands.Deployment.HistoryCommand.Sources(
        [
            new("stack", "/ops/stacks/shop", Commit, "main", false) { Override = true },
            new("spec", "/ops/prod/spec.yml", Commit, "main", false) { Override = true },
            new("pod web", "/cerc/hosting", Pod, "main", true),
        ]);
        var same = Slipway.Cli.Commands.Deployment.HistoryCommand.Sources(
        [
            new("stack", "/ops/stacks/shop", Commit, "main", false),
            new("spec", "/ops/spec.yml", Commit, "main", false),
            new("pod web", "/cerc/hosting", null, null, false),
        ]);

        Assert.Equal("stack bf471c275ee3 from /ops/stacks/shop, spec bf471c275ee3 from /ops/prod/spec.yml, pod web 0f1e2d3c4b5a dirty", text);
        Assert.Equal("stack+spec bf471c275ee3, pod web not in git", same);
    }

    [Fact]
    public async Task History_of_a_deployment_never_started_says_there_is_none()
    {
        var d = await _cli.CreateDeploymentAsync();

        var run = await _cli.RunAsync("deployment", "--dir", d, "history");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("No revisions recorded yet", run.Out);
    }

    [Fact]
    public async Task Resume_without_an_interrupted_run_is_not_found()
    {
        var d = await StartedDeploymentAsync();

        var run = await _cli.RunAsync("deployment", "--dir", d, "resume");

        Assert.True(run.ExitCode == ExitCodes.NotFound, run.ToString());
        Assert.Contains("nothing to resume", run.Err);
    }

    [Fact]
    public async Task Rollback_without_an_earlier_good_revision_is_not_found_and_changes_nothing()
    {
        var d = await StartedDeploymentAsync();
        var calls = _cli.Runner.Calls.Count;

        var run = await _cli.RunAsync("deployment", "--dir", d, "rollback");

        Assert.True(run.ExitCode == ExitCodes.NotFound, run.ToString());
        Assert.Contains("no earlier good revision", run.Err);
        Assert.Equal(calls, _cli.Runner.Calls.Count);
    }

    [Fact]
    public async Task Rollback_to_a_revision_recorded_as_failed_is_refused_without_allow_failed_and_warned_with_it()
    {
        var d = await StartedDeploymentAsync();
        var revision = Path.Combine(d, ".slipway", "revisions", "1", "revision.json");
        File.WriteAllText(revision, File.ReadAllText(revision).Replace("\"result\": \"good\"", "\"result\": \"failed\"", StringComparison.Ordinal));
        Assert.Contains("\"failed\"", File.ReadAllText(revision));
        var calls = _cli.Runner.Calls.Count;

        var refused = await _cli.RunAsync("deployment", "--dir", d, "rollback", "--to-revision", "1");

        Assert.True(refused.ExitCode == ExitCodes.Conflict, refused.ToString());
        Assert.Contains("revision 1 was recorded as failed", refused.Err);
        Assert.Contains("--allow-failed", refused.Err);
        Assert.DoesNotContain(_cli.Runner.Calls.Skip(calls), c => c.Arguments.Contains("up"));

        var allowed = await _cli.RunAsync("deployment", "--dir", d, "rollback", "--to-revision", "1", "--allow-failed");

        Assert.True(allowed.ExitCode == ExitCodes.Success, allowed.ToString());
        Assert.Contains("revision 1 was recorded as failed", allowed.Err);
        Assert.Contains("rolling back to it anyway (--allow-failed)", allowed.Err);
    }

    [Fact]
    public async Task Allow_failed_for_a_good_revision_warns_that_it_does_nothing()
    {
        var d = await StartedDeploymentAsync();

        var run = await _cli.RunAsync("deployment", "--dir", d, "rollback", "--to-revision", "1", "--allow-failed");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains("--allow-failed does nothing: revision 1 was recorded as good", run.Err);
    }

    [Fact]
    public async Task A_run_is_refused_with_Locked_while_another_live_process_holds_the_lock()
    {
        var d = await _cli.CreateDeploymentAsync();
        Directory.CreateDirectory(Path.Combine(d, ".slipway"));
        File.WriteAllText(Path.Combine(d, ".slipway", "lock"),
            $$"""{"owner":"ops","host":"{{Environment.MachineName}}","pid":1,"processStart":0,"startedAt":"2030-01-01T00:00:00+00:00","command":"restart","runId":"20300101-000000000-restart-beef"}""");

        var run = await _cli.RunAsync("deployment", "--dir", d, "start");

        Assert.True(run.ExitCode == ExitCodes.Locked, run.ToString());
        Assert.Contains("is locked by run 20300101-000000000-restart-beef (restart) of ops@", run.Err);
        Assert.Contains("pid 1", run.Err);
        Assert.Empty(_cli.Runner.Calls);
    }

    [Theory]
    [InlineData("web")]
    [InlineData("=x:1")]
    [InlineData("web=")]
    [InlineData("web=a b")]
    public async Task Restart_image_overrides_must_be_service_equals_image(string text)
    {
        var d = await _cli.CreateDeploymentAsync();

        var run = await _cli.RunAsync("deployment", "--dir", d, "restart", "--image", text);

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains($"--image '{text}' must be SERVICE=IMAGE", run.Err);
        Assert.Empty(_cli.Runner.Calls);
    }

    [Fact]
    public void An_image_override_keeps_a_registry_port_and_tag()
    {
        Assert.Equal(new Dictionary<string, string> { ["web"] = "127.0.0.1:5000/shop/web:abc" },
            Slipway.Cli.Commands.Deployment.RestartCommand.ParseImages(["web=127.0.0.1:5000/shop/web:abc"]));
    }

    [Fact]
    public async Task Every_deployment_command_resolves_a_relative_dir_against_the_same_current_directory()
    {
        var d = await _cli.CreateDeploymentAsync();
        var id = Slipway.Core.Deployments.DeploymentFile.Parse(File.ReadAllText(Path.Combine(d, "deployment.yml")), "deployment.yml").DeploymentId;
        _cli.Runner.On("docker", "compose").Returns(0);
        _cli.Runner.On("docker", "ps").Returns(0, DeploymentOutputTests.HealthyWeb(id));
        Assert.NotEqual(Path.GetDirectoryName(d), Directory.GetCurrentDirectory());

        var start = await _cli.RunAsync("deployment", "--dir", "D", "start");
        var status = await _cli.RunAsync("deployment", "--dir", "D", "status");
        var history = await _cli.RunAsync("deployment", "--dir", "D", "history");

        Assert.True(start.ExitCode == ExitCodes.Success, start.ToString());
        Assert.True(status.ExitCode == ExitCodes.Success, status.ToString());
        Assert.True(history.ExitCode == ExitCodes.Success, history.ToString());
        Assert.Contains($"{id}-web-1", status.Out);
    }

    [Fact]
    public async Task Plan_as_json_shows_compose_dry_run_changes_files_changed_since_the_current_revision_and_where_volumes_live()
    {
        var d = await StartedDeploymentAsync();
        File.AppendAllText(Path.Combine(d, "compose", "docker-compose-web.yml"), "volumes:\n  web-data:\n");

        var run = await _cli.RunAsync("deployment", "--dir", d, "plan", "--output", "json");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(1, json.RootElement.GetProperty("currentRevision").GetInt32());
        var change = Assert.Single(json.RootElement.GetProperty("changes").EnumerateArray());
        Assert.Equal("recreate", change.GetProperty("action").GetString());
        var file = Assert.Single(json.RootElement.GetProperty("files").EnumerateArray());
        Assert.Equal("compose/docker-compose-web.yml", file.GetProperty("path").GetString());
        Assert.Equal("changed", file.GetProperty("change").GetString());
        var volume = Assert.Single(json.RootElement.GetProperty("volumes").EnumerateArray());
        Assert.Equal(("web-data", "Docker named volume", "no"),
            (volume.GetProperty("name").GetString(), volume.GetProperty("dataLivesIn").GetString(), volume.GetProperty("survivesDeleteVolumes").GetString()));
    }
}
