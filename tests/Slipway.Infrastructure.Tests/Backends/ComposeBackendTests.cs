using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Backends.Compose;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Tests.Support;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Tests.Backends;

public sealed class ComposeBackendTests : IDisposable
{
    private const string Id = SampleDeployment.Id;
    private readonly TempWorkspace _workspace = new();
    private readonly FakeProcessRunner _runner = new() { Strict = true };
    private string _d = "";

    public void Dispose() => _workspace.Dispose();

    private ComposeBackend Backend(bool withConfigEnv = true, bool withOverrides = true, bool scriptDebug = false)
    {
        _d = SampleDeployment.Write(_workspace, withConfigEnv, withOverrides);
        return new ComposeBackend(DeploymentSession.Open(_d), new Docker(_runner), scriptDebug);
    }

    private string[] Project(bool withConfigEnv = true, bool withOverrides = true) =>
    [
        "docker", "compose", "--ansi", "never", "--project-name", Id,
        .. withConfigEnv ? new[] { "--env-file", $"{_d}/config.env" } : [],
        "--file", $"{_d}/compose/docker-compose-worker.yml",
        "--file", $"{_d}/compose/docker-compose-web.yml",
        .. withOverrides ? new[] { "--file", $"{_d}/overrides/a-ports.yaml", "--file", $"{_d}/overrides/b-local.yml" } : [],
    ];

    private string[] Argv(ProcessSpec spec) => [spec.FileName, .. spec.Arguments];

    private ProcessSpec OnlyCall() => Assert.Single(_runner.Calls);

    [Fact]
    public async Task Start_runs_up_over_the_pods_in_stack_order_then_the_overrides_in_name_order()
    {
        var backend = Backend();
        _runner.On("docker", "compose").Returns(0);

        await backend.ApplyAsync(new ApplyOptions(), CancellationToken.None);

        Assert.Equal([.. Project(), "up", "--detach", "--wait", "--wait-timeout", "300", "--remove-orphans"], Argv(OnlyCall()));
    }

    [Fact]
    public async Task Start_runs_in_D_with_a_timeout_beyond_the_wait_timeout()
    {
        var backend = Backend();
        _runner.On("docker", "compose").Returns(0);

        await backend.ApplyAsync(new ApplyOptions { WaitTimeout = TimeSpan.FromSeconds(30) }, CancellationToken.None);

        var call = OnlyCall();
        Assert.Contains("30", call.Arguments);
        Assert.Equal(_d, call.WorkingDirectory);
        Assert.True(call.Timeout > TimeSpan.FromSeconds(30), $"timeout {call.Timeout}");
    }

    [Fact]
    public async Task Start_without_config_env_or_overrides_passes_only_the_pod_files()
    {
        var backend = Backend(withConfigEnv: false, withOverrides: false);
        _runner.On("docker", "compose").Returns(0);

        await backend.ApplyAsync(new ApplyOptions(), CancellationToken.None);

        Assert.Equal([.. Project(withConfigEnv: false, withOverrides: false), "up", "--detach", "--wait", "--wait-timeout", "300", "--remove-orphans"], Argv(OnlyCall()));
    }

    [Fact]
    public async Task Restart_forces_recreation_of_the_named_services()
    {
        var backend = Backend();
        _runner.On("docker", "compose").Returns(0);

        await backend.ApplyAsync(new ApplyOptions { ForceRecreate = true, Services = ["web"] }, CancellationToken.None);

        Assert.Equal([.. Project(), "up", "--detach", "--wait", "--wait-timeout", "300", "--remove-orphans", "--force-recreate", "web"], Argv(OnlyCall()));
    }

    [Fact]
    public async Task The_child_environment_unsets_the_config_keys_and_the_compose_variables_that_would_override_D()
    {
        var backend = Backend();
        _runner.On("docker", "compose").Returns(0);

        await backend.ApplyAsync(new ApplyOptions(), CancellationToken.None);

        var environment = OnlyCall().Environment;
        foreach (var key in new[] { "GREETING", "DB_PASSWORD", "COMPOSE_PROJECT_NAME", "COMPOSE_FILE", "COMPOSE_PROFILES", "COMPOSE_ENV_FILES" })
        {
            Assert.True(environment.TryGetValue(key, out var value), key);
            Assert.Null(value);
        }
    }

    [Fact]
    public async Task Compose_substitutes_the_host_user_ids_as_laconic_sos_deployment_start_exports_them()
    {
        var backend = Backend();
        _runner.On("docker", "compose").Returns(0);

        await backend.ApplyAsync(new ApplyOptions(), CancellationToken.None);

        var environment = OnlyCall().Environment;
        var (uid, gid) = Slipway.Infrastructure.Build.BuildContract.HostIds();
        Assert.Equal(uid, environment["CERC_HOST_UID"]);
        Assert.Equal(gid, environment["CERC_HOST_GID"]);
    }

    [Theory]
    [InlineData(true, "true")]
    [InlineData(false, null)]
    public async Task With_debug_compose_substitutes_CERC_SCRIPT_DEBUG_as_laconic_sos_deployment_start_exports_it(bool debug, string? expected)
    {
        var backend = Backend(scriptDebug: debug);
        _runner.On("docker", "compose").Returns(0);

        await backend.ApplyAsync(new ApplyOptions(), CancellationToken.None);

        Assert.Equal(expected, OnlyCall().Environment.GetValueOrDefault("CERC_SCRIPT_DEBUG"));
    }

    [Fact]
    public async Task Config_values_are_passed_as_secrets_so_they_are_redacted()
    {
        var backend = Backend();
        _runner.On("docker", "compose").Returns(1, stderr: $"bad password {SampleDeployment.Password}\n");

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => backend.ApplyAsync(new ApplyOptions(), CancellationToken.None));

        Assert.Contains(SampleDeployment.Password, OnlyCall().Secrets);
        Assert.DoesNotContain(SampleDeployment.Password, ex.Message);
        Assert.Contains("[REDACTED]", ex.Message);
    }

    [Fact]
    public async Task Start_forwards_child_output_to_the_progress_callback()
    {
        var backend = Backend();
        var lines = new List<string>();
        _runner.On("docker", "compose").Returns(0, "out line\n", " Container web  Started\n");

        await backend.ApplyAsync(new ApplyOptions { Progress = lines.Add }, CancellationToken.None);

        Assert.Equal(["out line", " Container web  Started"], lines);
    }

    [Fact]
    public async Task A_failing_up_is_a_deployment_failure_with_the_stderr_tail()
    {
        var backend = Backend();
        var stderr = string.Concat(Enumerable.Range(1, 30).Select(i => $"line {i}\n")) + "Error response from daemon: port is already allocated\n";
        _runner.On("docker", "compose").Returns(1, stderr: stderr);

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => backend.ApplyAsync(new ApplyOptions(), CancellationToken.None));

        Assert.Equal(FailureReason.DeploymentFailed, ex.Reason);
        Assert.Contains("exit code 1", ex.Message);
        Assert.Contains("port is already allocated", ex.Message);
        Assert.Contains("line 30", ex.Message);
        Assert.DoesNotContain("line 1\n", ex.Message);
        Assert.Contains(".slipway/logs", ex.Hint);
    }

    [Fact]
    public async Task An_unhealthy_container_is_a_verify_timeout()
    {
        var backend = Backend();
        _runner.On("docker", "compose").Returns(1, stderr: "container shop-web-1 is unhealthy\n");

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => backend.ApplyAsync(new ApplyOptions(), CancellationToken.None));

        Assert.Equal(FailureReason.VerifyTimeout, ex.Reason);
        Assert.Contains("is unhealthy", ex.Message);
    }

    [Fact]
    public async Task An_up_that_times_out_is_a_verify_timeout()
    {
        var backend = Backend();
        _runner.On("docker", "compose").TimesOut();

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => backend.ApplyAsync(new ApplyOptions(), CancellationToken.None));

        Assert.Equal(FailureReason.VerifyTimeout, ex.Reason);
        Assert.Contains("timed out", ex.Message);
    }

    [Fact]
    public async Task A_missing_docker_is_a_missing_prerequisite()
    {
        var backend = Backend();
        _runner.On("docker").Throws(new ToolNotFoundException("docker"));

        var ex = await Assert.ThrowsAsync<ToolNotFoundException>(() => backend.ApplyAsync(new ApplyOptions(), CancellationToken.None));

        Assert.Equal(FailureReason.PrerequisiteMissing, ex.Reason);
        Assert.Equal("docker", ex.Tool);
    }

    [Fact]
    public async Task The_docker_executable_can_be_replaced()
    {
        _d = SampleDeployment.Write(_workspace);
        var backend = new ComposeBackend(DeploymentSession.Open(_d), new Docker(_runner, "/opt/docker/bin/docker"));
        _runner.On("/opt/docker/bin/docker", "compose").Returns(0);

        await backend.ApplyAsync(new ApplyOptions(), CancellationToken.None);

        Assert.Equal("/opt/docker/bin/docker", OnlyCall().FileName);
    }

    [Fact]
    public async Task Stop_runs_down_and_keeps_volumes()
    {
        var backend = Backend();
        _runner.On("docker", "compose").Returns(0);

        var outcome = await backend.StopAsync(new StopOptions(), CancellationToken.None);

        Assert.Equal([.. Project(), "down", "--remove-orphans"], Argv(OnlyCall()));
        Assert.Empty(outcome.RemovedVolumes);
        Assert.Equal([$"{_d}/data/web-data"], outcome.KeptHostPaths);
    }

    [Fact]
    public async Task Stop_with_delete_volumes_deletes_nothing_when_it_cannot_list_what_it_would_delete()
    {
        var backend = Backend();
        _runner.On("docker", "volume", "ls").Returns(1, stderr: "permission denied\n");

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => backend.StopAsync(new StopOptions { DeleteVolumes = true }, CancellationToken.None));

        Assert.Equal(FailureReason.DeploymentFailed, ex.Reason);
        Assert.DoesNotContain(_runner.CallLines(), line => line.Contains(" down "));
    }

    [Fact]
    public async Task Stop_with_delete_volumes_lists_the_project_volumes_then_runs_down_with_volumes()
    {
        var backend = Backend();
        _runner.On("docker", "volume", "ls").Returns(0, $"{Id}_web-data\n{Id}_cache\n");
        _runner.On("docker", "volume", "inspect").Returns(0, InspectJson(("web-data", $"{_d}/data/web-data"), ("cache", null)));
        _runner.On("docker", "compose").Returns(0);

        var outcome = await backend.StopAsync(new StopOptions { DeleteVolumes = true }, CancellationToken.None);

        Assert.Equal(
            [
                $"docker volume ls --quiet --filter label=com.docker.compose.project={Id}",
                $"docker volume inspect {Id}_cache {Id}_web-data",
                string.Join(' ', [.. Project(), "down", "--remove-orphans", "--volumes"]),
            ],
            _runner.CallLines());
        Assert.Equal([$"{Id}_cache", $"{Id}_web-data"], outcome.RemovedVolumes);
        Assert.Equal([$"{_d}/data/web-data"], outcome.KeptHostPaths);
    }

    [Fact]
    public async Task Stop_with_delete_volumes_does_not_call_a_host_path_kept_when_the_live_volume_is_in_Docker_storage()
    {
        var backend = Backend();
        _runner.On("docker", "volume", "ls").Returns(0, $"{Id}_web-data\n{Id}_cache\n");
        _runner.On("docker", "volume", "inspect").Returns(0, InspectJson(("web-data", null), ("cache", null)));
        _runner.On("docker", "compose").Returns(0);

        var outcome = await backend.StopAsync(new StopOptions { DeleteVolumes = true }, CancellationToken.None);

        Assert.Equal([$"{Id}_cache", $"{Id}_web-data"], outcome.RemovedVolumes);
        Assert.Empty(outcome.KeptHostPaths);
    }

    [Fact]
    public async Task Volume_storage_mismatches_compare_the_live_volumes_with_what_D_declares()
    {
        var backend = Backend();
        _runner.On("docker", "volume", "ls").Returns(0, $"{Id}_web-data\n{Id}_cache\n");
        _runner.On("docker", "volume", "inspect").Returns(0, InspectJson(("web-data", "/srv/old"), ("cache", null)));

        var mismatch = Assert.Single(await backend.VolumeStorageMismatchesAsync(CancellationToken.None));

        Assert.Equal("web-data", mismatch.Live.Volume);
        Assert.Equal("/srv/old", mismatch.Live.Device);
        Assert.Equal($"{_d}/data/web-data", mismatch.DeclaredDevice);
    }

    private string InspectJson(params (string Volume, string? Device)[] volumes) =>
        "[" + string.Join(",", volumes.Select(v =>
            $$"""{"Driver":"local","Labels":{"com.docker.compose.project":"{{Id}}","com.docker.compose.volume":"{{v.Volume}}"},"Mountpoint":"/var/lib/docker/volumes/{{Id}}_{{v.Volume}}/_data","Name":"{{Id}}_{{v.Volume}}","Options":{{(v.Device is null ? "null" : $$"""{"device":"{{v.Device}}","o":"bind","type":"none"}""")}},"Scope":"local"}""")) + "]";

    [Fact]
    public async Task A_failing_down_is_a_deployment_failure()
    {
        var backend = Backend();
        _runner.On("docker", "compose").Returns(1, stderr: "permission denied while trying to connect to the Docker daemon socket\n");

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => backend.StopAsync(new StopOptions(), CancellationToken.None));

        Assert.Equal(FailureReason.DeploymentFailed, ex.Reason);
        Assert.Contains("docker compose stop failed", ex.Message);
        Assert.Contains("permission denied", ex.Message);
    }

    [Fact]
    public async Task Status_runs_one_docker_ps_filtered_by_the_project_label_and_parses_it()
    {
        var backend = Backend();
        _runner.On("docker", "ps").Returns(0, """{"ID":"abc","Labels":"com.docker.compose.service=web","Names":"shop-web-1","Ports":"","State":"running","Status":"Up 2 seconds (healthy)"}""" + "\n");

        var states = await backend.StatusAsync(CancellationToken.None);

        Assert.Equal(["docker", "ps", "--all", "--no-trunc", "--filter", $"label=com.docker.compose.project={backend.ProjectName}", "--format", "{{json .}}"], Argv(OnlyCall()));
        Assert.Equal(new ServiceState("web", "shop-web-1", "abc", "running", "healthy", []) { Condition = ServiceCondition.Ready }, states.Single(s => s.Service == "web") with { Ports = [] });
    }

    [Fact]
    public async Task Status_lists_a_service_D_defines_without_a_container_as_missing_and_failed()
    {
        var backend = Backend();
        var session = DeploymentSession.Open(_d);
        _runner.On("docker", "ps").Returns(0, """{"ID":"abc","Labels":"com.docker.compose.service=web","Names":"shop-web-1","Ports":"","State":"running","Status":"Up 2 seconds"}""" + "\n");

        var states = await backend.StatusAsync(CancellationToken.None);

        var missing = session.ExpectedServices.Where(s => s != "web").ToList();
        Assert.NotEmpty(missing);
        Assert.Equal(missing.Order(StringComparer.Ordinal), states.Where(s => s.State == ServiceState.MissingState).Select(s => s.Service));
        Assert.All(states.Where(s => s.State == ServiceState.MissingState), s => Assert.Equal(ServiceCondition.Failed, s.Condition));
    }

    [Fact]
    public async Task A_ps_the_engine_does_not_answer_is_a_missing_prerequisite_not_a_deployment_failure()
    {
        var backend = Backend();
        _runner.On("docker", "ps").Returns(1, stderr: "Cannot connect to the Docker daemon\n");

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => backend.StatusAsync(CancellationToken.None));

        Assert.Equal(FailureReason.PrerequisiteMissing, ex.Reason);
        Assert.Contains("the Docker Engine does not answer", ex.Hint);
        Assert.Contains("Cannot connect", ex.Message);
    }

    [Fact]
    public async Task Port_asks_compose_for_the_published_address()
    {
        var backend = Backend();
        _runner.On("docker", "compose").Returns(0, "0.0.0.0:32768\n");

        var address = await backend.PortAsync("web", "80", CancellationToken.None);

        Assert.Equal("0.0.0.0:32768", address);
        Assert.Equal([.. Project(), "port", "web", "80"], Argv(OnlyCall()));
    }

    [Fact]
    public async Task Port_returns_the_first_address_when_compose_prints_several()
    {
        var backend = Backend();
        _runner.On("docker", "compose").Returns(0, "0.0.0.0:32768\n[::]:32768\n");

        Assert.Equal("0.0.0.0:32768", await backend.PortAsync("web", "80", CancellationToken.None));
    }

    [Theory]
    [InlineData(0, "", "")]
    [InlineData(0, ":0\n", "")]
    [InlineData(1, "", "no container found for service \"nope\"\n")]
    public async Task A_port_that_is_not_published_is_not_found(int exitCode, string stdout, string stderr)
    {
        var backend = Backend();
        _runner.On("docker", "compose").Returns(exitCode, stdout, stderr);

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => backend.PortAsync("web", "81", CancellationToken.None));

        Assert.Equal(FailureReason.NotFound, ex.Reason);
        Assert.Contains("service 'web' has no published port 81", ex.Message);
    }

    [Fact]
    public async Task Exec_runs_without_a_tty_when_not_interactive_and_returns_the_command_exit_code()
    {
        var backend = Backend();
        _runner.On("docker", "compose").Returns(42);

        var exit = await backend.ExecAsync("web", ["sh", "-c", "echo hi; exit 42"], interactive: false, CancellationToken.None);

        Assert.Equal(42, exit);
        var call = OnlyCall();
        Assert.Equal([.. Project(), "exec", "--no-TTY", "web", "sh", "-c", "echo hi; exit 42"], Argv(call));
        Assert.True(call.Inherit);
    }

    [Fact]
    public async Task Exec_keeps_the_tty_when_interactive()
    {
        var backend = Backend();
        _runner.On("docker", "compose").Returns(0);

        await backend.ExecAsync("web", ["sh"], interactive: true, CancellationToken.None);

        Assert.Equal([.. Project(), "exec", "web", "sh"], Argv(OnlyCall()));
    }

    [Fact]
    public async Task Logs_passes_follow_tail_and_services_and_inherits_the_console()
    {
        var backend = Backend();
        _runner.On("docker", "compose").Returns(0);

        var exit = await backend.LogsAsync(new LogsOptions(Follow: true, Tail: 5, ["web"]), CancellationToken.None);

        Assert.Equal(0, exit);
        var call = OnlyCall();
        Assert.Equal([.. Project(), "logs", "--no-color", "--follow", "--tail", "5", "web"], Argv(call));
        Assert.True(call.Inherit);
        Assert.Null(call.Timeout);
    }

    [Fact]
    public async Task Logs_without_options_shows_every_service_once()
    {
        var backend = Backend();
        _runner.On("docker", "compose").Returns(0);

        await backend.LogsAsync(new LogsOptions(Follow: false, Tail: null, []), CancellationToken.None);

        Assert.Equal([.. Project(), "logs", "--no-color"], Argv(OnlyCall()));
    }

    [Fact]
    public async Task Run_job_adds_the_job_file_after_the_pod_and_override_files()
    {
        var backend = Backend();
        _runner.On("docker", "compose").Returns(0);

        var exit = await backend.RunJobAsync("migrate", CancellationToken.None);

        Assert.Equal(0, exit);
        var call = OnlyCall();
        Assert.Equal([.. Project(), "--file", $"{_d}/compose-jobs/docker-compose-migrate.yml", "run", "--rm", "--no-TTY", "migrate"], Argv(call));
        Assert.Null(call.Environment["DB_PASSWORD"]);
    }

    [Fact]
    public async Task Run_job_returns_the_job_exit_code()
    {
        var backend = Backend();
        _runner.On("docker", "compose").Returns(3);

        Assert.Equal(3, await backend.RunJobAsync("migrate", CancellationToken.None));
    }

    [Fact]
    public async Task An_unknown_job_is_not_found_and_runs_nothing()
    {
        var backend = Backend();

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => backend.RunJobAsync("seed", CancellationToken.None));

        Assert.Equal(FailureReason.NotFound, ex.Reason);
        Assert.Contains("migrate", ex.Hint);
        Assert.Empty(_runner.Calls);
    }

    [Fact]
    public void The_project_name_is_the_deployment_id_not_the_folder_name()
    {
        Assert.Equal(Id, Backend().ProjectName);
    }
}
