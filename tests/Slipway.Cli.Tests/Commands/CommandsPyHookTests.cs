using Slipway.Infrastructure.Processes;

namespace Slipway.Cli.Tests.Commands;

/// <summary>
/// Which of a laconic-so stack's commands.py hooks run under python3 (the runner is fake here: what is asked of python3
/// is seen, nothing runs; PythonHookTests runs them for real), which an executable port replaces, and the failure without python3.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CommandsPyHookTests : IDisposable
{
    private const string Module = "def init(ctx):\n    return None\n\ndef setup(ctx, params, extra):\n    pass\n\ndef create(ctx, extra):\n    pass\n\ndef start(ctx):\n    pass\n";
    private readonly CliHarness _cli = new();

    public CommandsPyHookTests()
    {
        _cli.WriteStackAndSpec();
        _cli.Workspace.WriteFile("stack/deploy/commands.py", Module);
    }

    public void Dispose() => _cli.Dispose();

    private string Commands => _cli.Path("stack", "deploy", "commands.py");

    private List<string> PythonCalls() => [.. _cli.Runner.Calls.Where(c => c.FileName == "python3").Select(c => c.Display())];

    [Fact]
    public async Task A_hook_without_an_executable_port_runs_under_python3_and_a_ported_one_does_not()
    {
        var ported = _cli.Workspace.WriteFile("stack/hooks/create", "#!/bin/sh\n");
        File.SetUnixFileMode(ported, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var init = await _cli.RunAsync("--stack", "stack", "deploy", "init", "--output", "new-spec.yml");
        var afterInit = PythonCalls().Count;
        var create = await _cli.RunAsync("deploy", "create", "--spec-file", "spec.yml", "--deployment-dir", "D");

        Assert.True(init.ExitCode == ExitCodes.Success, init.ToString());
        Assert.Equal(1, afterInit);
        Assert.DoesNotContain("defines init()", init.Err);
        Assert.True(create.ExitCode == ExitCodes.Success, create.ToString());
        Assert.Single(PythonCalls());
        Assert.Contains($"{Commands}:7: create() not run: hooks/create takes precedence", create.Err);
        Assert.Equal(Module, File.ReadAllText(_cli.Path("D", "hooks", "commands.py")));
    }

    [Fact]
    public async Task Without_python3_a_hook_to_run_fails_the_command_saying_what_to_install_and_leaves_no_deployment_behind()
    {
        _cli.Runner.On("python3").Throws(new ToolNotFoundException("python3"));

        var create = await _cli.RunAsync("deploy", "create", "--spec-file", "spec.yml", "--deployment-dir", "D");

        Assert.Equal(ExitCodes.PrerequisiteMissing, create.ExitCode);
        Assert.Contains($"{Commands}:7: defines create(), which runs under python3, and 'python3' could not be started", create.Err);
        Assert.Contains("apt-get install python3 python3-yaml", create.Err);
        Assert.False(Directory.Exists(_cli.Path("D")));
    }

    [Fact]
    public async Task Dry_run_setup_and_create_say_which_hook_would_run_and_run_none()
    {
        var setup = await _cli.RunAsync("--dry-run", "--stack", "stack", "deploy", "setup", "--chain-id", "c1");
        var create = await _cli.RunAsync("--dry-run", "deploy", "create", "--spec-file", "spec.yml", "--deployment-dir", "D");

        Assert.True(setup.ExitCode == ExitCodes.Success, setup.ToString());
        Assert.Contains($"Dry run: would run setup() of {Commands} with python3", setup.Err);
        Assert.True(create.ExitCode == ExitCodes.Success, create.ToString());
        Assert.Contains($"Dry run: would then run create() of {Commands} with python3; nothing was run", create.Err);
        Assert.Empty(PythonCalls());
    }

    [Theory]
    [InlineData(new string[0], null)]
    [InlineData(new[] { "--cluster", "net-1", "--include", "web" }, "net-1")]
    public async Task Setup_hands_python_the_stack_mode_compose_project_the_deploy_group_flags_name(string[] group, string? cluster)
    {
        System.Text.Json.Nodes.JsonNode? context = null;
        _cli.Runner.On("python3").Responds(spec =>
        {
            context = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(spec.Arguments[1]));
            return new ProcessResult(spec.Display(), 0, "", "", TimeSpan.Zero);
        });

        var setup = await _cli.RunAsync(["--stack", "stack", "deploy", .. group, "setup", "--key-name", "k1"]);

        Assert.True(setup.ExitCode == ExitCodes.Success, setup.ToString());
        var compose = context!["compose"]!;
        Assert.Equal(cluster ?? Core.Stacks.StackSelection.DefaultProjectName("stack", null, null), (string?)compose["project"]);
        Assert.Equal($"[\"{_cli.Path("stack", "compose", "docker-compose-web.yml")}\"]", compose["files"]!.ToJsonString());
        Assert.Contains("--project-name", compose["arguments"]!.AsArray().Select(a => (string?)a));
        Assert.Equal("k1", (string?)context["setup"]!["key_name"]);
        Assert.Equal(_cli.Path("stack"), (string?)context["stack"]!["path"]);
    }

    [Fact]
    public async Task Several_modules_are_copied_into_d_hooks_numbered_the_stacks_first_and_an_update_drops_copies_the_stack_no_longer_has()
    {
        _cli.Workspace.WriteFile("stack/stack.yml", "name: tiny\npods:\n  - web\n  - name: node\n    repository: example.org/org/node-repo\n    path: pod\n");
        _cli.Workspace.WriteFile("repos/node-repo/pod/docker-compose.yml", "services:\n  node:\n    image: busybox\n");
        var podModule = _cli.Workspace.WriteFile("repos/node-repo/pod/stack/deploy/commands.py", "def create(ctx, extra):\n    pass\n");

        var create = await _cli.RunAsync("deploy", "create", "--spec-file", "spec.yml", "--deployment-dir", "D");
        var first = Directory.GetFiles(_cli.Path("D", "hooks")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var stackCopy = File.ReadAllText(_cli.Path("D", "hooks", "commands_0.py"));
        var calls = PythonCalls().Count;
        File.Delete(podModule);
        var update = await _cli.RunAsync("deploy", "create", "--spec-file", "spec.yml", "--deployment-dir", "D", "--update");

        Assert.True(create.ExitCode == ExitCodes.Success, create.ToString());
        Assert.Equal(["commands_0.py", "commands_1.py"], first);
        Assert.Equal(Module, stackCopy);
        Assert.Equal(1, calls);
        Assert.True(update.ExitCode == ExitCodes.Success, update.ToString());
        Assert.Equal(["commands.py"], Directory.GetFiles(_cli.Path("D", "hooks")).Select(Path.GetFileName));
        Assert.Equal(2, PythonCalls().Count);
    }

    [Fact]
    public async Task A_compose_deployment_says_its_start_hook_runs_only_on_kubernetes()
    {
        var create = await _cli.RunAsync("deploy", "create", "--spec-file", "spec.yml", "--deployment-dir", "D");

        Assert.True(create.ExitCode == ExitCodes.Success, create.ToString());
        Assert.Contains($"{Commands}:10: start() runs only on Kubernetes targets (as in laconic-so); this compose deployment does not run it", create.Err);
    }
}
