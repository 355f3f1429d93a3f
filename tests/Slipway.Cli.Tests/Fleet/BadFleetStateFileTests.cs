using System.Security.Cryptography;
using Slipway.Infrastructure.Fleet;

namespace Slipway.Cli.Tests.Fleet;

/// <summary>
/// The bad-input corpus over the orchestrator's fleet state (<c>.slipway/fleet/</c> next to the inventory): a fleet run
/// record that is hand-broken, truncated, <c>null</c>, a folder or of the wrong shape is refused by every verb that reads
/// it with its path, exit 3 and the way out, and nothing changes and no host is contacted; a lock that names no live
/// process is taken over with a warning naming it.
/// </summary>
public sealed class BadFleetStateFileTests : IDisposable
{
    private const string Older = "20261201T100000Z-aaaa";
    private const string Newest = "20261201T110000Z-bbbb";

    private readonly CliHarness _cli = new();

    public BadFleetStateFileTests()
    {
        _cli.Workspace.WriteFile("fleet.yml", """
            repo: /srv/ops
            hosts:
              host1:
                labels: [web]
            deployments:
              web:
                spec: deployments/web/spec.yml
                dir: /srv/deployments/web
                labels: [web]
            """);
        var store = Store;
        store.Save(Record(Older));
        store.Save(Record(Newest));
    }

    public void Dispose() => _cli.Dispose();

    private FleetStore Store => new(_cli.Path("fleet.yml"));

    private static FleetRun Record(string id) => new()
    {
        Id = id,
        Command = "deploy",
        Commit = "0123456789abcdef0123456789abcdef01234567",
        State = "failed",
        Message = "the rollout stopped at host1",
        Hosts =
        [
            new FleetHostRun
            {
                Host = "host1",
                State = "failed",
                Checks = [new FleetCheck("-", "ssh", "ok", "reachable as host1")],
                Deployments = [new FleetItemRun { Deployment = "web", Dir = "/srv/deployments/web", State = "rolled-back", RunId = "r1", ExitCode = 5 }],
            },
        ],
    };

    public static TheoryData<string, string, string> RecordCases()
    {
        var contents = new Dictionary<string, string>
        {
            ["not JSON"] = "{",
            ["truncated"] = "<truncated>",
            ["null"] = "null",
            ["a folder"] = "<folder>",
            ["an array"] = "[1, 2]",
            ["a required key missing"] = $$"""{"id": "{{Newest}}", "command": "deploy"}""",
            ["hosts null"] = $$"""{"id": "{{Newest}}", "command": "deploy", "commit": "c1", "state": "failed", "hosts": null}""",
            ["an unknown command"] = $$"""{"id": "{{Newest}}", "command": "explode", "commit": "c1", "state": "failed", "hosts": []}""",
            ["a null deployment"] = $$"""{"id": "{{Newest}}", "command": "deploy", "commit": "c1", "state": "failed", "hosts": [{"host": "host1", "state": "failed", "deployments": [null]}]}""",
            ["another run's id"] = $$"""{"id": "{{Older}}", "command": "deploy", "commit": "c1", "state": "failed", "hosts": []}""",
        };
        var data = new TheoryData<string, string, string>();
        foreach (var (name, content) in contents)
        {
            foreach (var command in new[] { "status", "status --run " + Newest, "resume --yes", "rollback --yes" })
            {
                data.Add(name, content, command);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RecordCases))]
    public async Task A_damaged_fleet_run_record_is_named_with_the_way_out_and_nothing_changes_or_runs(string what, string content, string command)
    {
        var file = Path.Combine(Store.Runs, Newest + ".json");
        Break(file, content);
        var before = Snapshot();

        var run = await _cli.RunAsync(["fleet", "--inventory", "fleet.yml", .. command.Split(' ')]);

        Assert.True(run.ExitCode == ExitCodes.InvalidInput, what + ": " + run);
        Assert.Contains($"the fleet run record {file} cannot be read", run.Err);
        Assert.Contains($"mv {file} {Store.DamagedFolder}/", run.Err);
        Assert.DoesNotContain("internal error", run.Err);
        Assert.DoesNotContain("   at ", run.Err);
        Assert.Equal(before, Snapshot());
        Assert.Empty(_cli.Runner.Calls);
    }

    [Fact]
    public async Task Moving_a_damaged_record_aside_as_the_hint_says_lets_status_read_the_run_before_it()
    {
        var file = Path.Combine(Store.Runs, Newest + ".json");
        Break(file, "{");
        Directory.CreateDirectory(Store.DamagedFolder);
        File.Move(file, Path.Combine(Store.DamagedFolder, Path.GetFileName(file)));

        var run = await _cli.RunAsync("fleet", "--inventory", "fleet.yml", "status", "--output", "json");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains($"\"id\": \"{Older}\"", run.Out);
    }

    [Fact]
    public async Task Diagnose_with_host_does_not_need_the_damaged_record()
    {
        Break(Path.Combine(Store.Runs, Newest + ".json"), "null");
        _cli.Runner.On("ssh").Returns(0, "all good\n");

        var run = await _cli.RunAsync("fleet", "--inventory", "fleet.yml", "diagnose", "--host", "host1");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains("=== host1 web", run.Out);
    }

    [Theory]
    [InlineData("not JSON", "{")]
    [InlineData("truncated", "{\"pid\": 12")]
    [InlineData("null", "null")]
    [InlineData("a folder", "<folder>")]
    [InlineData("no process named", "{}")]
    [InlineData("a pid of the wrong type", "{\"pid\": \"x\", \"host\": \"h\"}")]
    public async Task A_fleet_lock_that_names_no_process_is_taken_over_with_a_warning_naming_it(string what, string content)
    {
        var lockFile = Store.LockFile;
        Break(lockFile, content);
        _cli.Runner.On("git", "rev-parse").Returns(0, "0123456789abcdef0123456789abcdef01234567\n");

        // No host answers the prepare script here (exit 4): what matters is that the lock was taken, and released.
        var run = await _cli.RunAsync("fleet", "--inventory", "fleet.yml", "deploy", "--yes");

        Assert.True(run.ExitCode == ExitCodes.PrerequisiteMissing, what + ": " + run);
        Assert.Contains($"taking over the fleet lock {lockFile}: ", run.Err);
        Assert.DoesNotContain("internal error", run.Err);
        Assert.False(File.Exists(lockFile) || Directory.Exists(lockFile), "the lock was not released");
    }

    [Fact]
    public async Task A_fleet_lock_held_by_a_live_process_is_refused_naming_it_and_one_from_another_machine_says_how_to_clear_it()
    {
        _cli.Runner.On("git", "rev-parse").Returns(0, "0123456789abcdef0123456789abcdef01234567\n");
        Break(Store.LockFile, $$"""{"pid": {{Environment.ProcessId}}, "host": "{{Environment.MachineName}}", "command": "deploy", "runId": "held", "since": "2026-12-01T00:00:00Z"}""");

        var live = await _cli.RunAsync("fleet", "--inventory", "fleet.yml", "deploy", "--yes");

        Assert.True(live.ExitCode == ExitCodes.Locked, live.ToString());
        Assert.Contains("deploy held (pid", live.Err);

        Break(Store.LockFile, """{"pid": 4242, "host": "elsewhere.invalid", "command": "resume", "runId": "far", "since": "2026-12-01T00:00:00Z"}""");

        var foreign = await _cli.RunAsync("fleet", "--inventory", "fleet.yml", "deploy", "--yes");

        Assert.True(foreign.ExitCode == ExitCodes.Locked, foreign.ToString());
        Assert.Contains("another machine", foreign.Err);
        Assert.Contains($"remove {Store.LockFile}", foreign.Err);
        Assert.True(File.Exists(Store.LockFile));
    }

    private static void Break(string file, string content)
    {
        if (File.Exists(file)) File.Delete(file);
        if (Directory.Exists(file)) Directory.Delete(file, recursive: true);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        if (content == "<folder>")
        {
            Directory.CreateDirectory(file);
            return;
        }

        if (content == "<truncated>")
        {
            var whole = System.Text.Json.JsonSerializer.Serialize(Record(Path.GetFileNameWithoutExtension(file)), FleetJson.Default.FleetRun);
            content = whole[..(whole.Length / 2)];
        }

        File.WriteAllText(file, content);
    }

    /// <summary>Every file of the fleet state folder with a hash of its content.</summary>
    private SortedDictionary<string, string> Snapshot()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in Directory.EnumerateFileSystemEntries(Store.Directory, "*", SearchOption.AllDirectories))
        {
            files[Path.GetRelativePath(Store.Directory, entry)] = Directory.Exists(entry) ? "<folder>" : Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(entry)));
        }

        return files;
    }
}
