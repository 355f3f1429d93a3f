using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Fleet;

namespace Slipway.Infrastructure.Tests.Fleet;

public sealed class FleetStoreTests
{
    [Fact]
    public void A_second_fleet_run_is_refused_while_the_first_holds_the_lock_and_may_take_it_once_released()
    {
        using var ws = new TempWorkspace();
        var store = new FleetStore(ws.WriteFile("fleet.yml", "hosts: {}\n"));
        var warnings = new List<string>();

        using (store.Lock("deploy", "run-1", warnings.Add))
        {
            var refused = Assert.Throws<SlipwayException>(() => store.Lock("deploy", "run-2", warnings.Add));
            Assert.Equal(FailureReason.Locked, refused.Reason);
            Assert.Contains("deploy run-1", refused.Message, StringComparison.Ordinal);
        }

        using (store.Lock("resume", "run-3", warnings.Add))
        {
            Assert.Empty(warnings);
        }
    }

    [Fact]
    public void A_lock_left_by_a_dead_process_is_taken_over_with_a_warning()
    {
        using var ws = new TempWorkspace();
        var store = new FleetStore(ws.WriteFile("fleet.yml", "hosts: {}\n"));
        Directory.CreateDirectory(store.Directory);
        File.WriteAllText(Path.Combine(store.Directory, "lock"),
            $$"""{"pid": 2147483000, "host": "{{Environment.MachineName}}", "command": "deploy", "runId": "old", "since": "2026-01-01T00:00:00Z"}""");
        var warnings = new List<string>();

        using (store.Lock("resume", "new", warnings.Add))
        {
            Assert.Contains(warnings, w => w.Contains("deploy old", StringComparison.Ordinal) && w.Contains("gone", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Runs_are_saved_and_the_newest_is_found_and_the_state_folder_ignores_itself_in_git()
    {
        using var ws = new TempWorkspace();
        var store = new FleetStore(ws.WriteFile("fleet.yml", "hosts: {}\n"));
        store.Save(new FleetRun { Id = "20260101T000000Z-aaaa", Command = "deploy", Commit = "c1" });
        store.Save(new FleetRun { Id = "20260102T000000Z-bbbb", Command = "rollback", Commit = "c1", State = "succeeded" });

        Assert.Equal("20260102T000000Z-bbbb", store.Latest()!.Id);
        Assert.Equal("20260101T000000Z-aaaa", store.Latest(r => r.Command == "deploy")!.Id);
        Assert.Contains("*", File.ReadAllLines(Path.Combine(store.Directory, ".gitignore")));
    }

    [Fact]
    public void The_prepare_output_protocol_gives_the_shell_checks_and_the_host_checks_version_checks_and_plans()
    {
        var (checks, plans) = FleetHostClient.Parse("""
            @check - docker ok engine 20.10.24
            @check web env-file fail /srv/secrets/web.env is missing (host-local, never copied: create it on the host)
            @json
            {"version": "slipway 0.1.0+abc", "checks": [{"deployment": "web", "name": "spec", "status": "ok", "detail": "deployments/web/spec.yml valid"},
              {"deployment": "web", "name": "plan", "status": "ok", "detail": "planned"}], "plans": {"web": {"changes": []}}}

            @end 0
            """.Replace("\r", "", StringComparison.Ordinal));

        Assert.Equal([("-", "docker", "ok"), ("web", "env-file", "fail"), ("-", "slipway", "ok"), ("web", "spec", "ok"), ("web", "plan", "ok")],
            checks.Select(c => (c.Deployment, c.Name, c.Status)));
        Assert.Equal("/srv/secrets/web.env is missing (host-local, never copied: create it on the host)", checks[1].Detail);
        Assert.Equal("slipway 0.1.0+abc", checks[2].Detail);
        Assert.Equal("{\"changes\": []}", plans["web"].Trim());
        Assert.True(FleetOrchestrator.CompatibleVersion("slipway 0.1.7+abc", "0.1.0+def"));
        Assert.False(FleetOrchestrator.CompatibleVersion("slipway 0.2.0", "0.1.0"));
    }

    [Theory]
    [InlineData("127", "sh: 1: /opt/slipway: not found", "not found on the host: sh: 1: /opt/slipway: not found")]
    [InlineData("2", "Unrecognized command or argument 'check-host'.", "did not answer (exit 2): Unrecognized command or argument 'check-host'.")]
    public void A_host_whose_slipway_cannot_answer_check_host_fails_the_slipway_check_with_why(string exit, string stderr, string expected)
    {
        var (checks, _) = FleetHostClient.Parse($"@check - docker ok engine 20.10.24\n@json\n\n@end {exit}\n@stderr {stderr}\n");

        var slipway = Assert.Single(checks, c => c.Name == "slipway");
        Assert.True(slipway.Failed);
        Assert.Contains(expected, slipway.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_ssh_control_folder_of_a_killed_fleet_command_is_removed_by_the_next_and_live_ones_are_kept()
    {
        using var ws = new TempWorkspace();
        var me = Environment.ProcessId;
        var myStart = Slipway.Infrastructure.Pipeline.DeploymentLock.ProcessStartOf(me)!.Value;
        var dead = Directory.CreateDirectory(ws.Combine($"slipway-ssh-2147483000.12345-AbCdEf")).FullName;
        File.WriteAllText(Path.Combine(dead, "3c27867e2411"), "");
        var reused = Directory.CreateDirectory(ws.Combine($"slipway-ssh-{me}.{myStart + 1}-GhIjKl")).FullName;
        var live = Directory.CreateDirectory(ws.Combine($"slipway-ssh-{me}.{myStart}-MnOpQr")).FullName;
        var legacyEmpty = Directory.CreateDirectory(ws.Combine("slipway-ssh-4wKtbB")).FullName;
        var legacyInUse = Directory.CreateDirectory(ws.Combine("slipway-ssh-hMB9Zo")).FullName;
        File.WriteAllText(Path.Combine(legacyInUse, "b328ff7a9992"), "");
        var other = Directory.CreateDirectory(ws.Combine("not-slipway-2147483000.1-x")).FullName;

        FleetHostClient.SweepAbandoned(ws.Path, legacyAge: TimeSpan.FromMilliseconds(-1));

        Assert.False(Directory.Exists(dead));
        Assert.False(Directory.Exists(reused));
        Assert.True(Directory.Exists(live));
        Assert.False(Directory.Exists(legacyEmpty));
        Assert.True(Directory.Exists(legacyInUse));
        Assert.True(Directory.Exists(other));
    }
}
