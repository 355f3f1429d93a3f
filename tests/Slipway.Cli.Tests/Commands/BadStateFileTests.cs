using System.Security.Cryptography;

namespace Slipway.Cli.Tests.Commands;

/// <summary>
/// The bad-input corpus over every file a started deployment directory holds (the inputs the operator or a render
/// wrote, and Slipway's own state): each malformed file is refused with its path (file:line:column where it is text), a
/// named exit code, and nothing in D changes and no child command runs.
/// </summary>
public sealed class BadStateFileTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    public static TheoryData<string, string, string, int, string> Cases() => new()
    {
        // file in D, content, command, exit code, what the message must hold (beside the file's path)
        { "spec.yml", "stack: [a\nconfig: x\n", "status", ExitCodes.InvalidInput, "spec.yml:1:" },
        { "stack.yml", "name: [a\npods: x\n", "status", ExitCodes.InvalidInput, "stack.yml:1:" },
        { "compose/docker-compose-web.yml", "services: [a\nx: 1\n", "status", ExitCodes.InvalidInput, "docker-compose-web.yml:1:" },
        { "deployment.yml", "deployment-id: [a\nx: 1\n", "status", ExitCodes.InvalidInput, "deployment.yml:1:" },
        { "config.env", "GREETING=hi\nNO_EQUALS_SIGN\n", "status", ExitCodes.InvalidInput, "config.env:2:1" },
        { "config.env", "GREETING=\"unterminated\n", "start", ExitCodes.InvalidInput, "config.env:1:" },
        { "overrides/extra.yml", "services: [a\nx: 1\n", "status", ExitCodes.InvalidInput, "extra.yml:1:" },
        { ".slipway/pin.json", "{", "start", ExitCodes.InvalidInput, "is not a valid pin" },
        { ".slipway/pin.json", "null", "start", ExitCodes.InvalidInput, "is not a valid pin" },
        { ".slipway/pin.json", "<folder>", "start", ExitCodes.InvalidInput, "is not a valid pin" },
        { ".slipway/revisions/1/revision.json", "{", "history", ExitCodes.InvalidInput, "is not a valid revision record" },
        { ".slipway/revisions/1/revision.json", "null", "rollback", ExitCodes.InvalidInput, "is not a valid revision record" },
        { ".slipway/runs/<latest>/run.json", "{", "start", ExitCodes.InvalidInput, "cannot be read" },
        { ".slipway/runs/<latest>/run.json", "null", "resume", ExitCodes.InvalidInput, "cannot be read" },

        // Valid JSON without the keys every written file has: read as is, they were defaults (a run "running" with no
        // stages, a pin to revision 0) or a null dereferenced later ("internal error").
        { ".slipway/runs/<latest>/run.json", "{}", "start", ExitCodes.InvalidInput, "cannot be read (it lacks id, command, state, startedAt, stages," },
        { ".slipway/runs/<latest>/run.json", """{"id": "r", "command": "start"}""", "resume", ExitCodes.InvalidInput, "it lacks state, startedAt, stages," },
        { ".slipway/runs/<latest>/run.json", """{"id": "r", "command": "start", "state": "running", "startedAt": "2026-12-02T10:00:00Z", "stages": [{"name": "apply"}], "logs": null}""", "start", ExitCodes.InvalidInput, "it lacks logs (null), stages[0].state," },
        { ".slipway/pin.json", "{}", "start", ExitCodes.InvalidInput, "is not a valid pin: it lacks revision, runId, at," },
        { ".slipway/revisions/1/revision.json", """{"number": 1}""", "history", ExitCodes.InvalidInput, "is not a valid revision record: it lacks time, result, command, runId, specHash, filesHash," },
        { ".slipway/revisions/1/revision.json", """{"number": 1, "time": "2026-12-02T10:00:00Z", "result": "good", "command": "start", "runId": "r", "specHash": "a", "filesHash": "b", "imagePins": null}""", "rollback", ExitCodes.InvalidInput, "it lacks imagePins (null)," },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_malformed_file_in_D_is_refused_with_its_path_and_a_named_exit_code_and_nothing_changes(string file, string content, string command, int exit, string expected)
    {
        var d = await StartedDeploymentAsync();
        var path = Path.Combine(d, file.Replace("<latest>", Path.GetFileName(Directory.GetDirectories(Path.Combine(d, ".slipway", "runs")).Order(StringComparer.Ordinal).Last()), StringComparison.Ordinal));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (content == "<folder>")
        {
            File.Delete(path);
            Directory.CreateDirectory(path);
        }
        else
        {
            File.WriteAllText(path, content);
        }

        var before = Snapshot(d);
        var calls = _cli.Runner.Calls.Count;

        var run = await _cli.RunAsync("deployment", "--dir", d, command);

        Assert.True(run.ExitCode == exit, run.ToString());
        Assert.True(run.Err.Contains(path, StringComparison.Ordinal) && run.Err.Contains(expected, StringComparison.Ordinal), run.ToString());
        Assert.DoesNotContain("internal error", run.Err);
        Assert.Equal(before, Snapshot(d));
        Assert.Equal(calls, _cli.Runner.Calls.Count);
    }

    [Theory]
    [InlineData("{}", "it lacks id, command, state, startedAt, stages,")]
    [InlineData("""{"id": "r", "command": "start", "stages": null}""", "it lacks state, startedAt, stages,")]
    public async Task Diagnose_names_a_run_record_without_its_keys_and_the_way_out_and_goes_on_with_the_rest(string content, string expected)
    {
        var d = await StartedDeploymentAsync();
        var path = Path.Combine(Directory.GetDirectories(Path.Combine(d, ".slipway", "runs")).Order(StringComparer.Ordinal).Last(), "run.json");
        File.WriteAllText(path, content);

        var text = await _cli.RunAsync("deployment", "--dir", d, "diagnose");
        var json = await _cli.RunAsync("deployment", "--dir", d, "diagnose", "--output", "json");

        foreach (var run in new[] { text, json })
        {
            Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
            Assert.Contains($"the run record {path} cannot be read ({expected}", run.Err);
            Assert.Contains("--break-lock", run.Err);
            Assert.DoesNotContain("internal error", run.Err);
        }

        Assert.Contains("web", text.Out);
        using var parsed = System.Text.Json.JsonDocument.Parse(json.Out);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, parsed.RootElement.GetProperty("lastRun").ValueKind);
    }

    [Theory]
    [InlineData("spec.yml")]
    [InlineData("config.env")]
    public async Task A_file_in_D_over_the_4_MiB_input_bound_is_refused_unread_with_its_size(string file)
    {
        var d = await StartedDeploymentAsync();
        var path = Path.Combine(d, file);
        File.WriteAllText(path, "# " + new string('x', (int)Slipway.Core.Files.InputText.MaxBytes) + "\n");
        var before = Snapshot(d);

        var run = await _cli.RunAsync("deployment", "--dir", d, "status");

        Assert.True(run.ExitCode == ExitCodes.InvalidInput, run.ToString());
        Assert.Contains($"{path}:1:1: error ", run.Err);
        Assert.Contains("Slipway reads input files of at most 4,194,304 bytes", run.Err);
        Assert.Equal(before, Snapshot(d));
    }

    [Fact]
    public async Task A_spec_over_the_4_MiB_input_bound_is_refused_by_deploy_create_and_nothing_is_created()
    {
        _cli.WriteStackAndSpec();
        File.AppendAllText(_cli.Path("spec.yml"), "# " + new string('x', (int)Slipway.Core.Files.InputText.MaxBytes) + "\n");

        var run = await _cli.RunAsync("deploy", "create", "--spec-file", "spec.yml", "--deployment-dir", "D");

        Assert.True(run.ExitCode == ExitCodes.InvalidInput, run.ToString());
        Assert.Contains("spec.yml:1:1: error ", run.Err);
        Assert.Contains("at most 4,194,304 bytes", run.Err);
        Assert.False(Directory.Exists(_cli.Path("D")));
    }

    [Fact]
    public async Task A_spec_of_exactly_4_MiB_is_read()
    {
        _cli.WriteStackAndSpec();
        var spec = File.ReadAllText(_cli.Path("spec.yml"));
        var padding = (int)Slipway.Core.Files.InputText.MaxBytes - spec.Length - 3;
        File.WriteAllText(_cli.Path("spec.yml"), spec + "# " + new string('x', padding) + "\n");
        Assert.Equal(Slipway.Core.Files.InputText.MaxBytes, new FileInfo(_cli.Path("spec.yml")).Length);

        var run = await _cli.RunAsync("deploy", "create", "--spec-file", "spec.yml", "--deployment-dir", "D");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
    }

    private async Task<string> StartedDeploymentAsync()
    {
        var d = await _cli.CreateDeploymentAsync();
        var id = Slipway.Core.Deployments.DeploymentFile.Parse(File.ReadAllText(Path.Combine(d, "deployment.yml")), "deployment.yml").DeploymentId;
        _cli.Runner.On("docker", "compose", "--dry-run").Returns(0, stderr: " DRY-RUN MODE -  Container x-web-1  Recreate\n");
        _cli.Runner.On("docker", "compose").Returns(0);
        _cli.Runner.On("docker", "ps").Returns(0, DeploymentOutputTests.HealthyWeb(id));
        var start = await _cli.RunAsync("deployment", "--dir", d, "start");
        Assert.True(start.ExitCode == ExitCodes.Success, start.ToString());
        return d;
    }

    /// <summary>Every file of D (but the run logs, which say what was tried) with a hash of its content.</summary>
    private static SortedDictionary<string, string> Snapshot(string d)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in Directory.EnumerateFileSystemEntries(d, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(d, entry);
            if (relative.StartsWith(Path.Combine(".slipway", "logs"), StringComparison.Ordinal)) continue;
            files[relative] = Directory.Exists(entry) ? "<folder>" : Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(entry)));
        }

        return files;
    }
}
