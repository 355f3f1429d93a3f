using System.Runtime.Versioning;
using Slipway.Core.Config;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Operations;
using Slipway.Infrastructure.Tests.Support;

namespace Slipway.Infrastructure.Tests.Operations;

[UnsupportedOSPlatform("windows")]
public sealed class DeployCreateTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();
    private readonly FakeProcessRunner _runner = new();

    public void Dispose() => _workspace.Dispose();

    private string D => _workspace.Combine("deployment");

    private Task<CreateResult> CreateAsync(bool update = false, string? stackArgument = null) =>
        new DeployCreate(SampleStack.Environment(_workspace, _runner)).RunAsync(new CreateRequest
        {
            SpecFile = "spec.yml",
            DeploymentDirectory = "deployment",
            Update = update,
            StackArgument = stackArgument,
        }, CancellationToken.None);

    private string Read(string relative) => File.ReadAllText(Path.Combine(D, relative));

    private void AssertNothingLeftBehind()
    {
        Assert.False(Directory.Exists(D), "the deployment directory must not exist");
        Assert.Empty(Directory.EnumerateFileSystemEntries(_workspace.Path, ".deployment.creating-*"));
    }

    [Fact]
    public async Task A_fresh_create_writes_the_identity_with_a_new_slipway_deployment_id_and_the_sources()
    {
        var spec = SampleStack.Write(_workspace);

        var result = await CreateAsync();

        var identity = DeploymentFile.Parse(Read("deployment.yml"), "deployment.yml");
        Assert.StartsWith("slipway-", identity.DeploymentId);
        Assert.True(DeploymentIds.IsValid(identity.DeploymentId));
        Assert.StartsWith("slipway-", identity.ClusterId);
        Assert.Equal(_workspace.Combine("stack"), identity.StackSource);
        Assert.Equal(spec, identity.SpecSource);
        Assert.Equal(identity, result.Deployment);
        Assert.Null(result.Update);
    }

    [Fact]
    public async Task A_fresh_create_copies_spec_and_stack_byte_for_byte()
    {
        SampleStack.Write(_workspace);

        await CreateAsync();

        Assert.Equal(File.ReadAllBytes(_workspace.Combine("spec.yml")), File.ReadAllBytes(Path.Combine(D, "spec.yml")));
        Assert.Equal(File.ReadAllBytes(_workspace.Combine("stack", "stack.yml")), File.ReadAllBytes(Path.Combine(D, "stack.yml")));
    }

    [Fact]
    public async Task A_fresh_create_writes_config_env_owner_only_with_spec_config_and_a_generated_secret()
    {
        SampleStack.Write(_workspace);

        var result = await CreateAsync();

        var path = Path.Combine(D, "config.env");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var entries = DotEnv.Parse(File.ReadAllText(path)).Entries.ToDictionary(e => e.Key, e => e.Value);
        Assert.Equal("hello", entries["GREETING"]);
        Assert.Matches("^[0-9a-f]{32}$", entries["DB_PASSWORD"]);
        Assert.Contains(entries["DB_PASSWORD"], result.Rendered.Secrets);
    }

    [Fact]
    public async Task A_fresh_create_renders_every_pod_and_job_with_the_spec_ports_and_the_host_path_volume()
    {
        SampleStack.Write(_workspace);

        await CreateAsync();

        var web = Read("compose/docker-compose-web.yml");
        Assert.Contains("\"8080:80\"", web);
        Assert.DoesNotContain("- \"80\"", web);
        Assert.Contains($"device: \"{Path.Combine(D, "data", "web-data")}\"", web);
        Assert.Contains("io.slipway.config-hash:", web);
        Assert.Contains("command:", Read("compose/docker-compose-worker.yml"));
        Assert.Contains("migrate", Read("compose-jobs/docker-compose-migrate.yml"));
    }

    [Fact]
    public async Task A_fresh_create_copies_config_and_creates_data_overrides_and_the_state_log_folder()
    {
        SampleStack.Write(_workspace);

        await CreateAsync();

        Assert.Equal("listen 80;\n", Read("config/web/site.conf"));
        Assert.True(Directory.Exists(Path.Combine(D, "data", "web-data")));
        Assert.True(Directory.Exists(Path.Combine(D, "overrides")));
        Assert.True(Directory.Exists(Path.Combine(D, ".slipway", "logs")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_workspace.Path, ".deployment.creating-*"));
    }

    [Fact]
    public async Task Two_creates_get_different_deployment_ids()
    {
        SampleStack.Write(_workspace);
        var first = await CreateAsync();
        Directory.Delete(D, recursive: true);

        var second = await CreateAsync();

        Assert.NotEqual(first.Deployment.DeploymentId, second.Deployment.DeploymentId);
    }

    [Fact]
    public async Task Create_into_an_existing_directory_is_a_conflict_and_leaves_it_untouched()
    {
        SampleStack.Write(_workspace);
        _workspace.WriteFile("deployment/mine.txt", "precious");

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => CreateAsync());

        Assert.Equal(FailureReason.Conflict, ex.Reason);
        Assert.Equal(["mine.txt"], Directory.EnumerateFileSystemEntries(D).Select(Path.GetFileName));
        Assert.Equal("precious", Read("mine.txt"));
    }

    [Fact]
    public async Task Create_over_an_existing_file_is_a_conflict()
    {
        SampleStack.Write(_workspace);
        _workspace.WriteFile("deployment", "not a folder");

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => CreateAsync());

        Assert.Equal(FailureReason.Conflict, ex.Reason);
        Assert.Equal("not a folder", _workspace.ReadFile("deployment"));
    }

    [Fact]
    public async Task A_missing_spec_file_is_not_found()
    {
        var ex = await Assert.ThrowsAsync<SlipwayException>(() => CreateAsync());

        Assert.Equal(FailureReason.NotFound, ex.Reason);
        AssertNothingLeftBehind();
    }

    [Fact]
    public async Task A_malformed_spec_is_invalid_input_with_its_location_and_leaves_nothing_behind()
    {
        SampleStack.Write(_workspace, "stack: ./stack\nconfig: [unclosed\n");

        var ex = await Assert.ThrowsAsync<InvalidInputException>(() => CreateAsync());

        Assert.Contains(ex.Diagnostics, d => d.IsError && d.Location?.File == _workspace.Combine("spec.yml"));
        AssertNothingLeftBehind();
    }

    [Fact]
    public async Task An_unknown_spec_key_is_invalid_input_with_a_did_you_mean_and_leaves_nothing_behind()
    {
        SampleStack.Write(_workspace, "stack: ./stack\nvolumse:\n  web-data: ./data/web-data\n");

        var ex = await Assert.ThrowsAsync<InvalidInputException>(() => CreateAsync());

        var error = Assert.Single(ex.Diagnostics, d => d.IsError);
        Assert.Contains("volumse", error.Message);
        Assert.Contains("volumes", error.Hint);
        Assert.Equal(2, error.Location?.Line);
        AssertNothingLeftBehind();
    }

    [Fact]
    public async Task A_spec_naming_a_missing_stack_is_not_found_and_leaves_nothing_behind()
    {
        SampleStack.Write(_workspace, "stack: ./no-such-stack\n");

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => CreateAsync());

        Assert.Equal(FailureReason.NotFound, ex.Reason);
        AssertNothingLeftBehind();
    }

    [Fact]
    public async Task A_volume_path_escaping_the_deployment_directory_is_invalid_input_and_leaves_nothing_behind()
    {
        SampleStack.Write(_workspace, "stack: ./stack\nvolumes:\n  web-data: ../outside\n");

        var ex = await Assert.ThrowsAsync<InvalidInputException>(() => CreateAsync());

        var error = Assert.Single(ex.Diagnostics, d => d.IsError);
        Assert.Equal(DiagnosticCodes.PathEscapes, error.Code);
        AssertNothingLeftBehind();
        Assert.False(Directory.Exists(_workspace.Combine("outside")));
    }

    [Fact]
    public async Task A_volume_folder_inside_a_file_of_the_deployment_directory_is_refused_and_leaves_nothing()
    {
        // config.env is one of D's own files: a volume below it is refused before anything is written.
        SampleStack.Write(_workspace, "stack: ./stack\nvolumes:\n  web-data: ./config.env/web-data\n");

        var ex = await Assert.ThrowsAsync<InvalidInputException>(() => CreateAsync());

        Assert.Contains("own files (config.env)", ex.Message);
        AssertNothingLeftBehind();
    }

    [Fact]
    public async Task A_stack_argument_that_differs_from_the_spec_stack_is_invalid_input()
    {
        SampleStack.Write(_workspace);
        _workspace.WriteFile("other/stack.yml", "pods: []\n");

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => CreateAsync(stackArgument: "./other"));

        Assert.Equal(FailureReason.InvalidInput, ex.Reason);
        AssertNothingLeftBehind();
    }

    [Fact]
    public async Task The_create_hook_runs_in_the_new_directory_with_the_deployment_context()
    {
        var spec = SampleStack.Write(_workspace);
        var hook = SampleStack.WriteHook(_workspace, "create");
        _runner.On(hook).Returns(0, "hook says hi\n");

        var result = await CreateAsync();

        var call = _runner.Single(c => c.FileName == hook);
        Assert.Empty(call.Arguments);
        Assert.Equal(D, call.WorkingDirectory);
        Assert.Equal(D, call.Environment["SLIPWAY_DEPLOYMENT_DIR"]);
        Assert.Equal(result.Deployment.DeploymentId, call.Environment["SLIPWAY_DEPLOYMENT_ID"]);
        Assert.Equal(_workspace.Combine("stack"), call.Environment["SLIPWAY_STACK"]);
        Assert.Equal(spec, call.Environment["SLIPWAY_SPEC"]);
        Assert.Equal("create", call.Environment["SLIPWAY_STAGE"]);
        Assert.Equal("compose", call.Environment["SLIPWAY_DEPLOY_TO"]);
        Assert.Contains(DotEnv.Parse(Read("config.env")).Entries.Single(e => e.Key == "DB_PASSWORD").Value, call.Secrets);
        Assert.Equal("hook says hi\n", result.HookOutput);
    }

    [Fact]
    public async Task The_create_hook_and_its_output_are_logged_under_the_state_folder()
    {
        SampleStack.Write(_workspace);
        var hook = SampleStack.WriteHook(_workspace, "create");
        _runner.On(hook).Returns(0, "hook output line\n");

        await CreateAsync();

        var log = Assert.Single(Directory.GetFiles(Path.Combine(D, ".slipway", "logs"), "*-create.log"));
        var text = File.ReadAllText(log);
        Assert.Contains($"$ {hook}", text);
        Assert.Contains("out| hook output line", text);
    }

    [Fact]
    public async Task Without_a_create_hook_nothing_is_run()
    {
        SampleStack.Write(_workspace);

        var result = await CreateAsync();

        Assert.Empty(_runner.Calls);
        Assert.Null(result.HookOutput);
    }

    [Fact]
    public async Task A_failing_create_hook_fails_the_create_with_its_output_and_removes_the_fresh_directory()
    {
        SampleStack.Write(_workspace);
        var hook = SampleStack.WriteHook(_workspace, "create");
        _runner.On(hook).Returns(3, stderr: "cannot reach the database\n");

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => CreateAsync());

        Assert.Equal(FailureReason.DeploymentFailed, ex.Reason);
        Assert.Contains("exit code 3", ex.Message);
        Assert.Contains("cannot reach the database", ex.Message);
        AssertNothingLeftBehind();
    }

    [Fact]
    public async Task A_create_hook_that_is_not_executable_is_invalid_input_and_leaves_nothing_behind()
    {
        SampleStack.Write(_workspace);
        var hook = _workspace.WriteFile("stack/hooks/create", "#!/bin/sh\n");
        File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => CreateAsync());

        Assert.Equal(FailureReason.InvalidInput, ex.Reason);
        Assert.Contains("chmod +x", ex.Hint);
        Assert.Empty(_runner.Calls);
        AssertNothingLeftBehind();
    }

    [Fact]
    public async Task Update_of_a_missing_directory_is_not_found_and_creates_nothing()
    {
        SampleStack.Write(_workspace);

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => CreateAsync(update: true));

        Assert.Equal(FailureReason.NotFound, ex.Reason);
        AssertNothingLeftBehind();
    }

    [Fact]
    public async Task Update_keeps_a_changed_file_as_bak_and_writes_the_new_content()
    {
        SampleStack.Write(_workspace);
        await CreateAsync();
        var before = File.ReadAllBytes(Path.Combine(D, "compose", "docker-compose-web.yml"));
        SampleStack.Write(_workspace, SampleStack.Spec.Replace("8080:80", "9090:80"));

        var result = await CreateAsync(update: true);

        Assert.Equal(before, File.ReadAllBytes(Path.Combine(D, "compose", "docker-compose-web.yml.bak")));
        Assert.Contains("\"9090:80\"", Read("compose/docker-compose-web.yml"));
        Assert.Contains("compose/docker-compose-web.yml", result.Update!.Changed);
        Assert.Contains("compose/docker-compose-web.yml.bak", result.Update.BackedUp);
        Assert.Contains("9090:80", Read("spec.yml"));
        Assert.True(File.Exists(Path.Combine(D, "spec.yml.bak")));
    }

    [Fact]
    public async Task Update_leaves_unchanged_files_alone_without_a_bak()
    {
        SampleStack.Write(_workspace);
        await CreateAsync();
        var worker = Path.Combine(D, "compose", "docker-compose-worker.yml");
        var written = File.GetLastWriteTimeUtc(worker);
        File.SetLastWriteTimeUtc(worker, written.AddDays(-1));

        var result = await CreateAsync(update: true);

        Assert.Empty(result.Update!.Changed);
        Assert.Empty(result.Update.BackedUp);
        Assert.Contains("compose/docker-compose-worker.yml", result.Update.Unchanged);
        Assert.Equal(written.AddDays(-1), File.GetLastWriteTimeUtc(worker));
        Assert.Empty(Directory.EnumerateFiles(D, "*.bak", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Update_adds_a_file_the_stack_gained()
    {
        SampleStack.Write(_workspace);
        await CreateAsync();
        _workspace.WriteFile("stack/config/web/extra.conf", "gzip on;\n");

        var result = await CreateAsync(update: true);

        Assert.Equal(["config/web/extra.conf"], result.Update!.Added);
        Assert.Equal("gzip on;\n", Read("config/web/extra.conf"));
        Assert.False(File.Exists(Path.Combine(D, "config", "web", "extra.conf.bak")));
    }

    [Fact]
    public async Task Update_leaves_a_file_the_stack_no_longer_has_in_place()
    {
        SampleStack.Write(_workspace);
        await CreateAsync();
        File.Delete(_workspace.Combine("stack", "config", "web", "site.conf"));
        _workspace.WriteFile("stack/config/web/other.conf", "x\n");

        await CreateAsync(update: true);

        Assert.Equal("listen 80;\n", Read("config/web/site.conf"));
    }

    [Fact]
    public async Task Update_never_touches_data_overrides_deployment_yml_or_the_state_folder()
    {
        SampleStack.Write(_workspace);
        await CreateAsync();
        var markers = new Dictionary<string, byte[]>
        {
            ["data/web-data/db.sqlite"] = [0, 1, 2, 3],
            ["data/notes.txt"] = "data"u8.ToArray(),
            ["overrides/docker-compose.override.yml"] = "services: {}\n"u8.ToArray(),
            [".slipway/logs/old.log"] = "old log"u8.ToArray(),
            [".slipway/marker"] = "state"u8.ToArray(),
            ["deployment.yml"] = File.ReadAllBytes(Path.Combine(D, "deployment.yml")).Concat("# hand edit\n"u8.ToArray()).ToArray(),
        };
        foreach (var (relative, bytes) in markers)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(D, relative))!);
            File.WriteAllBytes(Path.Combine(D, relative), bytes);
        }

        SampleStack.Write(_workspace, SampleStack.Spec.Replace("8080:80", "9090:80"));
        await CreateAsync(update: true);

        foreach (var (relative, bytes) in markers)
        {
            Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(D, relative)));
            Assert.False(File.Exists(Path.Combine(D, relative + ".bak")), relative + ".bak");
        }

        Assert.Equal(["db.sqlite"], Directory.EnumerateFileSystemEntries(Path.Combine(D, "data", "web-data")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Update_keeps_the_deployment_identity()
    {
        SampleStack.Write(_workspace);
        var created = await CreateAsync();

        var updated = await CreateAsync(update: true);

        Assert.Equal(created.Deployment, updated.Deployment);
    }

    [Fact]
    public async Task Generated_secrets_keep_their_values_across_updates()
    {
        SampleStack.Write(_workspace);
        await CreateAsync();
        var first = DotEnv.Parse(Read("config.env")).Entries.Single(e => e.Key == "DB_PASSWORD").Value;
        SampleStack.Write(_workspace, SampleStack.Spec.Replace("GREETING: hello", "GREETING: bonjour"));

        await CreateAsync(update: true);
        await CreateAsync(update: true);

        var entries = DotEnv.Parse(Read("config.env")).Entries.ToDictionary(e => e.Key, e => e.Value);
        Assert.Equal(first, entries["DB_PASSWORD"]);
        Assert.Equal("bonjour", entries["GREETING"]);
    }

    [Fact]
    public async Task A_failing_create_hook_on_update_keeps_the_directory()
    {
        SampleStack.Write(_workspace);
        await CreateAsync();
        var hook = SampleStack.WriteHook(_workspace, "create");
        _runner.On(hook).Returns(1, stderr: "nope\n");

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => CreateAsync(update: true));

        Assert.Equal(FailureReason.DeploymentFailed, ex.Reason);
        Assert.True(File.Exists(Path.Combine(D, "deployment.yml")));
    }

    [Fact]
    public async Task A_bad_spec_on_update_changes_nothing()
    {
        SampleStack.Write(_workspace);
        await CreateAsync();
        var before = Snapshot(D);
        SampleStack.Write(_workspace, "stack: ./stack\nvolumes:\n  web-data: ../../escape\n");

        await Assert.ThrowsAsync<InvalidInputException>(() => CreateAsync(update: true));

        Assert.Equal(before, Snapshot(D));
    }

    private static SortedDictionary<string, string> Snapshot(string directory) =>
        new(Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(directory, f), f => Convert.ToHexString(File.ReadAllBytes(f))), StringComparer.Ordinal);
}
