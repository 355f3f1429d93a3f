using Slipway.IntegrationTests.Infrastructure;
using Slipway.IntegrationTests.Pipeline;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.Fleet;

/// <summary>
/// The fleet verbs against three real hosts (network namespaces, each with its own sshd and dockerd), one fleet shared
/// by every test here; each test uses its own operator repository and deployment directories, and wipes the host
/// engines' containers first.
/// </summary>
[Collection(SideBySideCollection.Name)]
public sealed class FleetTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    [Fact]
    public async Task Each_test_host_answers_ssh_with_its_own_engine_and_its_own_files()
    {
        for (var i = 1; i <= fleet.Count; i++)
        {
            var host = fleet[i];
            await File.WriteAllTextAsync(Path.Combine(host.Files, "whoami"), host.Name);
            var result = (await host.SshAsync($"echo $DOCKER_HOST; cat {fleet.HostRoot}/whoami; echo; docker info --format '{{{{.DockerRootDir}}}}'")).ShouldSucceed();
            var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal([host.DockerHost, host.Name], lines[..2]);
            Assert.StartsWith(fleet.Root, lines[2], StringComparison.Ordinal);
            Assert.Contains($"/h{i}/", lines[2], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_three_host_rollout_deploys_every_host_and_records_each_hosts_run()
    {
        var s = await FleetScenario.CreateAsync(fleet);
        await s.FleetAsync(0, "deploy", "--yes", "--parallel", "3");
        Assert.Equal(["v1", "v1", "v1"], await s.GreetingsAsync());

        await s.CommitGreetingAsync("v2");
        var deploy = await s.FleetAsync(0, "deploy", "--yes");
        Assert.Equal(["v2", "v2", "v2"], await s.GreetingsAsync());
        Assert.Contains("host3 web: succeeded", deploy.StandardError, StringComparison.Ordinal);

        var status = await s.FleetAsync(0, "status", "--output", "json");
        using var json = System.Text.Json.JsonDocument.Parse(status.StandardOutput);
        Assert.Equal("succeeded", json.RootElement.GetProperty("state").GetString());
        foreach (var host in fleet.Hosts)
        {
            var item = FleetScenario.Item(json.RootElement, host.Name);
            Assert.Equal("succeeded", item.GetProperty("state").GetString());
            Assert.Equal("restart", item.GetProperty("verb").GetString());
            Assert.Equal(2, item.GetProperty("revision").GetInt32());
            Assert.True(Directory.Exists(host.Local(Path.Combine(s.HostDir, ".slipway", "runs", item.GetProperty("runId").GetString()!))));
        }
    }

    [Fact]
    public async Task An_unhealthy_host_rolls_back_and_stops_the_rollout_leaving_later_hosts_untouched()
    {
        var s = await FleetScenario.CreateAsync(fleet);
        await s.FleetAsync(0, "deploy", "--yes", "--parallel", "3");
        // host2's own override makes v2 unhealthy there only (host-local, never in the repository).
        var overrides = fleet[2].Local(Path.Combine(s.HostDir, "overrides"));
        Directory.CreateDirectory(overrides);
        await File.WriteAllTextAsync(Path.Combine(overrides, "unhealthy-v2.yml"), """
            services:
              web:
                healthcheck:
                  test: ["CMD", "/bin/busybox", "sh", "-c", "[ \"$$GREETING\" != v2 ]"]
                  interval: 1s
                  retries: 1

            """);
        var host3Runs = s.RunsOn(fleet[3]);

        await s.CommitGreetingAsync("v2");
        var deploy = await s.FleetAsync(5, "deploy", "--yes");

        Assert.Equal(["v2", "v1", "v1"], await s.GreetingsAsync());
        Assert.Contains("the rollout stopped at host2", deploy.StandardError, StringComparison.Ordinal);
        Assert.Contains("untouched: host3", deploy.StandardError, StringComparison.Ordinal);
        var run = s.LatestRun();
        Assert.Equal("failed", run.GetProperty("state").GetString());
        Assert.Equal("succeeded", FleetScenario.HostState(run, "host1"));
        Assert.Equal("rolled-back", FleetScenario.Item(run, "host2").GetProperty("state").GetString());
        Assert.Equal("not-started", FleetScenario.HostState(run, "host3"));
        Assert.Equal(host3Runs, s.RunsOn(fleet[3]));
    }

    [Fact]
    public async Task An_unreachable_host_at_prepare_refuses_the_rollout_and_nothing_is_applied_anywhere()
    {
        var s = await FleetScenario.CreateAsync(fleet);
        await s.FleetAsync(0, "deploy", "--yes", "--parallel", "3");
        await s.CommitGreetingAsync("v2");
        await fleet.StopSshAsync(3);
        try
        {
            var refused = await s.FleetAsync(4, "deploy", "--yes");
            Assert.Contains("host3", refused.StandardError, StringComparison.Ordinal);
            Assert.Contains("nothing was applied anywhere", refused.StandardError, StringComparison.Ordinal);
            Assert.Equal(["v1", "v1", "v1"], await s.GreetingsAsync());
            Assert.Equal("unreachable", FleetScenario.HostState(s.LatestRun(), "host3"));

            // --skip-unreachable says otherwise: the reachable hosts roll out, the unreachable one is reported as skipped.
            var skipped = await s.FleetAsync(0, "deploy", "--yes", "--skip-unreachable");
            Assert.Equal("v2", await FleetScenario.GreetingAsync(fleet[1]));
            Assert.Equal("v2", await FleetScenario.GreetingAsync(fleet[2]));
            Assert.Contains("skipped (unreachable at prepare): host3", skipped.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            await fleet.StartSshAsync(3);
        }

        Assert.Equal("v1", await FleetScenario.GreetingAsync(fleet[3]));
    }

    [Fact]
    public async Task A_spec_broken_at_the_commit_on_one_host_refuses_the_rollout_at_prepare_and_nothing_is_applied_anywhere()
    {
        // "api" runs on host3 only, and its spec at the commit is invalid; web is fine everywhere.
        var api = Path.Combine(fleet.HostRoot, "api-" + Guid.NewGuid().ToString("N")[..6]);
        var s = await FleetScenario.CreateAsync(fleet, deploymentExtra: $"  api:\n    spec: deployments/api/spec.yml\n    dir: {api}\n    hosts: [host3]\n");
        s.Orchestrator.Write("deployments/api/spec.yml", "stack: ../../stacks/web\ndeploy-to: composse\n");
        var commit = await s.Orchestrator.CommitAndPushAsync("api with a typo");

        var refused = await s.FleetAsync(4, "deploy", "--yes");

        Assert.Contains("host3 (prepare: api: spec:", refused.StandardError, StringComparison.Ordinal);
        Assert.Contains("deployments/api/spec.yml:2:", refused.StandardError, StringComparison.Ordinal);
        Assert.Contains("nothing was applied anywhere", refused.StandardError, StringComparison.Ordinal);
        Assert.Equal([null, null, null], await s.GreetingsAsync());
        foreach (var host in fleet.Hosts) Assert.Equal(0, s.RunsOn(host));
        // The check looked at the commit without moving any clone.
        Assert.NotEqual(commit, (await fleet[3].SshAsync($"git -C {s.HostRepo} rev-parse HEAD")).ShouldSucceed().StandardOutput.Trim());
    }

    [Fact]
    public async Task An_upstream_that_moves_mid_rollout_does_not_change_what_later_hosts_get()
    {
        // host2's slipway pushes v3 to the operator repository's remote as its restart starts: after prepare chose v2.
        var wrapper = Path.Combine(fleet.Root, "bin", "slipway-push-" + Guid.NewGuid().ToString("N")[..6]);
        await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\nexec {fleet.Slipway} \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(wrapper, (UnixFileMode)0b111_101_101);
        var s = await FleetScenario.CreateAsync(fleet, hostExtra: $"    slipway: {wrapper}");
        await s.FleetAsync(0, "deploy", "--yes", "--parallel", "3");
        var pinned = await s.CommitGreetingAsync("v2");
        var pusher = await GitTestRepository.CloneAsync(await s.Orchestrator.RemoteAsync(), Path.Combine(fleet.Root, "shared", s.Token + "-pusher"));
        pusher.Write("deployments/web/spec.yml", FleetScenario.Spec("v3"));
        var moved = await pusher.CommitAsync("greeting v3 (pushed mid-rollout)");
        await File.WriteAllTextAsync(wrapper, $"""
            #!/bin/sh
            case " $* " in *" restart "*) git -C {pusher.Path} push --quiet origin HEAD:main >&2 || exit 99 ;; esac
            exec {fleet.Slipway} "$@"

            """);

        var deploy = await s.FleetAsync(0, "deploy", "--yes");

        Assert.Equal(moved, (await s.Orchestrator.GitAsync("ls-remote", "origin", "refs/heads/main")).Split('\t')[0]);
        Assert.Equal(["v2", "v2", "v2"], await s.GreetingsAsync());
        foreach (var host in fleet.Hosts)
        {
            Assert.Equal(pinned, (await host.SshAsync($"git -C {s.HostRepo} rev-parse HEAD")).ShouldSucceed().StandardOutput.Trim());
        }

        Assert.Equal(pinned, s.LatestRun().GetProperty("commit").GetString());
        Assert.Contains("succeeded on 3 host(s)", deploy.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_per_host_env_file_is_refused_at_prepare_without_reading_any_env_file()
    {
        var secret = Path.Combine(fleet.HostRoot, "secrets-" + Guid.NewGuid().ToString("N")[..6], "web.env");
        var s = await FleetScenario.CreateAsync(fleet, hostExtra: $"    env-files: [{secret}]");
        // host1 and host3 need nothing extra; host2 is missing its file. A file on host1 at that path is never read.
        Directory.CreateDirectory(Path.GetDirectoryName(fleet[1].Local(secret))!);
        await File.WriteAllTextAsync(fleet[1].Local(secret), "TOKEN=never-copied-s3cr3t\n");

        var refused = await s.FleetAsync(4, "deploy", "--yes");

        Assert.Contains($"{secret} is missing", refused.StandardError, StringComparison.Ordinal);
        Assert.Contains("host2", refused.StandardError, StringComparison.Ordinal);
        Assert.Equal([null, null, null], await s.GreetingsAsync());
        Assert.DoesNotContain("never-copied", File.ReadAllText(Directory.GetFiles(s.Orchestrator.Combine(".slipway", "fleet", "runs")).Single()), StringComparison.Ordinal);

        Directory.CreateDirectory(Path.GetDirectoryName(fleet[2].Local(secret))!);
        await File.WriteAllTextAsync(fleet[2].Local(secret), "TOKEN=x\n");
        await s.FleetAsync(0, "deploy", "--yes");
        Assert.Equal(["v1", "v1", "v1"], await s.GreetingsAsync());
    }

    [Fact]
    public async Task Host_local_overrides_apply_only_on_their_host()
    {
        var s = await FleetScenario.CreateAsync(fleet);
        await s.FleetAsync(0, "deploy", "--yes", "--parallel", "3");
        var overrides = fleet[3].Local(Path.Combine(s.HostDir, "overrides"));
        Directory.CreateDirectory(overrides);
        await File.WriteAllTextAsync(Path.Combine(overrides, "local.yml"), "services:\n  web:\n    environment:\n      GREETING: host3-local\n");

        await s.CommitGreetingAsync("v2");
        await s.FleetAsync(0, "deploy", "--yes");

        Assert.Equal(["v2", "v2", "host3-local"], await s.GreetingsAsync());
        Assert.False(File.Exists(fleet[1].Local(Path.Combine(s.HostDir, "overrides", "local.yml"))));
    }

    [Fact]
    public async Task Fleet_rollback_puts_every_host_of_the_last_fleet_run_back_on_its_previous_good_revision()
    {
        var s = await FleetScenario.CreateAsync(fleet);
        await s.FleetAsync(0, "deploy", "--yes", "--parallel", "3");
        await s.CommitGreetingAsync("v2");
        await s.FleetAsync(0, "deploy", "--yes", "--parallel", "3");
        Assert.Equal(["v2", "v2", "v2"], await s.GreetingsAsync());

        await s.FleetAsync(0, "rollback", "--yes");

        Assert.Equal(["v1", "v1", "v1"], await s.GreetingsAsync());
        var run = s.LatestRun();
        Assert.Equal("rollback", run.GetProperty("command").GetString());
        Assert.All(fleet.Hosts, h => Assert.Equal("rollback", FleetScenario.Item(run, h.Name).GetProperty("verb").GetString()));
    }

    [Fact]
    public async Task Fleet_resume_after_the_orchestrator_is_killed_mid_rollout_finishes_the_remaining_hosts_and_removes_its_ssh_folder()
    {
        var s = await FleetScenario.CreateAsync(fleet);
        await s.FleetAsync(0, "deploy", "--yes", "--parallel", "3");
        await s.CommitGreetingAsync("v2");

        int killed;
        using (var child = ChildCli.Start("fleet", "--inventory", s.Inventory, "deploy", "--yes"))
        {
            killed = child.Pid;
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while (!(Directory.Exists(s.Orchestrator.Combine(".slipway", "fleet", "runs"))
                     && Directory.GetFiles(s.Orchestrator.Combine(".slipway", "fleet", "runs")).Length == 2
                     && FleetScenario.HostState(s.LatestRun(), "host2") == "running"))
            {
                Assert.True(DateTime.UtcNow < deadline, "host2 never started:\n" + child.Output);
                await Task.Delay(20);
            }

            await child.KillAsync();
        }

        // The orchestrator is gone; host2's own run may still finish (its ssh was not killed). Wait until no live process holds its lock.
        await WaitForUnlockedAsync(fleet[2].Local(Path.Combine(s.HostDir, ".slipway", "lock")));
        Assert.Equal("running", FleetScenario.HostState(s.LatestRun(), "host2"));
        Assert.Equal("v1", await FleetScenario.GreetingAsync(fleet[3]));

        // The killed orchestrator could not remove its ssh control folder; the next fleet command does.
        string[] ControlFolders() => Directory.GetDirectories(Path.GetTempPath(), $"slipway-ssh-{killed}.*");
        Assert.NotEmpty(ControlFolders());

        var resume = await s.FleetAsync(0, "resume", "--yes");

        Assert.Empty(ControlFolders());
        Assert.Equal(["v2", "v2", "v2"], await s.GreetingsAsync());
        var run = s.LatestRun();
        Assert.Equal("resume", run.GetProperty("command").GetString());
        Assert.True(FleetScenario.Item(run, "host1").GetProperty("carried").GetBoolean(), resume.ToString());
        Assert.Equal("succeeded", FleetScenario.HostState(run, "host3"));
    }

    [Fact]
    public async Task Fleet_deploy_without_yes_off_a_terminal_refuses_before_touching_any_host()
    {
        var s = await FleetScenario.CreateAsync(fleet);
        var refused = await s.FleetAsync(2, "deploy");
        Assert.Contains("pass --yes", refused.StandardError, StringComparison.Ordinal);
        Assert.Equal([null, null, null], await s.GreetingsAsync());
        Assert.False(Directory.Exists(s.Orchestrator.Combine(".slipway", "fleet", "runs")));
    }

    [Fact]
    public async Task Fleet_plan_reports_each_hosts_checks_and_plan_and_an_unreachable_host_as_such()
    {
        var s = await FleetScenario.CreateAsync(fleet);
        await s.FleetAsync(0, "deploy", "--yes", "--parallel", "3");
        await s.CommitGreetingAsync("v2");
        await fleet.StopSshAsync(2);
        CliResult plan;
        try
        {
            plan = await s.FleetAsync(4, "plan", "--output", "json");
        }
        finally
        {
            await fleet.StartSshAsync(2);
        }

        using var json = System.Text.Json.JsonDocument.Parse(plan.StandardOutput);
        Assert.Equal("ready", FleetScenario.HostState(json.RootElement, "host1"));
        Assert.Equal("unreachable", FleetScenario.HostState(json.RootElement, "host2"));
        Assert.True(json.RootElement.GetProperty("plans").GetProperty("host3").GetProperty("web").TryGetProperty("changes", out _));
        Assert.Contains(json.RootElement.GetProperty("hosts")[0].GetProperty("checks").EnumerateArray(),
            c => c.GetProperty("name").GetString() == "repo" && c.GetProperty("detail").GetString()!.Contains("1 files change", StringComparison.Ordinal));
        Assert.Equal(["v1", "v1", "v1"], await s.GreetingsAsync());
    }

    [Fact]
    public async Task Fleet_onboard_reports_what_a_new_host_lacks_and_apply_clones_the_repository()
    {
        var s = await FleetScenario.CreateAsync(fleet, cloneOnHosts: false);
        var check = await s.FleetAsync(4, "onboard", "host1");
        Assert.Contains("fix repo: git clone", check.StandardError, StringComparison.Ordinal);
        Assert.Matches(@"slipway\s+ok", check.StandardOutput);
        Assert.Matches(@"docker\s+ok", check.StandardOutput);

        await s.FleetAsync(0, "onboard", "host1", "--apply");

        Assert.True(Directory.Exists(fleet[1].Local(Path.Combine(s.HostRepo, ".git"))));
        await s.FleetAsync(0, "onboard", "host1");
    }

    private static async Task WaitForUnlockedAsync(string lockFile)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (File.Exists(lockFile) && DateTime.UtcNow < deadline)
        {
            var text = await File.ReadAllTextAsync(lockFile);
            var pid = System.Text.RegularExpressions.Regex.Match(text, "\"pid\":\\s*(\\d+)");
            if (pid.Success && !Directory.Exists("/proc/" + pid.Groups[1].Value)) return;
            await Task.Delay(100);
        }
    }
}
