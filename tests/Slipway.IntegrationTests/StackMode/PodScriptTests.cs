using Slipway.Core.Stacks;
using Slipway.IntegrationTests.Infrastructure;

namespace Slipway.IntegrationTests.StackMode;

/// <summary>Dict pods' pre_start_command / post_start_command on the real Docker Engine, in stack mode and from a deployment directory.</summary>
[Collection(SideBySideCollection.Name)]
public sealed class PodScriptTests : IAsyncLifetime
{
    private readonly Workspace _workspace = new();
    private readonly List<string> _projects = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var project in _projects)
        {
            await Docker.RunAsync("compose", "--project-name", project, "down", "--volumes", "--remove-orphans", "--timeout", "2");
        }

        await _workspace.DisposeAsync();
    }

    private string Stack(string preExit = "0")
    {
        Write("scripted/stack.yml", "version: \"1.0\"\nname: scripted\npods:\n  - name: front\n    pre_start_command: pre.sh\n    post_start_command: post.sh\n");
        Write("scripted/compose/docker-compose-front.yml", "services:\n  web:\n    image: slipway/hello:local\n    command: [\"web\"]\n    init: true\n");
        // pre: no container of the project may run yet; post: the web container runs. Each leaves a note in its folder.
        Write("scripted/compose/pre.sh", $"#!/bin/sh\necho \"pre $CERC_SO_COMPOSE_PROJECT $(docker ps -q --filter label=com.docker.compose.project=$CERC_SO_COMPOSE_PROJECT | wc -l)\" >> \"$PWD/ran.txt\"\nexit {preExit}\n", executable: true);
        Write("scripted/compose/post.sh", "#!/bin/sh\necho \"post $CERC_SO_COMPOSE_PROJECT $(docker ps -q --filter label=com.docker.compose.project=$CERC_SO_COMPOSE_PROJECT | wc -l)\" >> \"$PWD/ran.txt\"\n", executable: true);
        return _workspace.Combine("scripted");
    }

    private void Write(string relative, string text, bool executable = false)
    {
        var path = _workspace.Combine(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        if (executable && !OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
    }

    [Fact]
    public async Task Stack_mode_runs_pre_start_before_up_and_post_start_after_with_the_project_named()
    {
        var stack = Stack();
        var project = StackSelection.DefaultProjectName(stack, null, null);
        _projects.Add(project);

        await SlipwayCommand.RunAsync("--stack", stack, "deploy", "up");

        Assert.Equal($"pre {project} 0\npost {project} 1\n", await File.ReadAllTextAsync(Path.Combine(stack, "compose", "ran.txt")));
    }

    [Fact]
    public async Task With_debug_the_pod_scripts_see_CERC_SCRIPT_DEBUG_as_laconic_sos_deploy_up_exports_it()
    {
        var stack = Stack();
        Write("scripted/compose/pre.sh", "#!/bin/sh\necho \"debug=$CERC_SCRIPT_DEBUG uid=$CERC_HOST_UID\" >> \"$PWD/ran.txt\"\n", executable: true);
        var project = StackSelection.DefaultProjectName(stack, null, null);
        _projects.Add(project);

        await SlipwayCommand.RunAsync("--debug", "--stack", stack, "deploy", "up");

        var ran = await File.ReadAllTextAsync(Path.Combine(stack, "compose", "ran.txt"));
        Assert.StartsWith($"debug=true uid={Slipway.Infrastructure.Build.BuildContract.HostIds().Uid}\n", ran, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_pre_start_command_is_fatal_and_nothing_starts()
    {
        var stack = Stack(preExit: "4");
        var project = StackSelection.DefaultProjectName(stack, null, null);
        _projects.Add(project);

        var result = await SlipwayCommand.RunFailingAsync("--stack", stack, "deploy", "up");

        Assert.Contains("pre_start_command pre.sh failed (exit code 4)", result.StandardError);
        Assert.Empty(await Docker.ContainerIdsAsync(project));
    }

    [Fact]
    public async Task A_deployment_runs_the_copies_deploy_create_put_in_its_pods_folder()
    {
        var stack = Stack();
        Write("spec.yml", $"stack: {stack}\ndeploy-to: compose\n");
        var d = await _workspace.CreateAsync(_workspace.Combine("spec.yml"), "d");

        await d.RunAsync("start");

        var ran = await File.ReadAllTextAsync(d.File("pods", "front", "scripts", "ran.txt"));
        Assert.Equal($"pre {d.DeploymentId} 0\npost {d.DeploymentId} 1\n", ran);
        Assert.False(File.Exists(Path.Combine(stack, "compose", "ran.txt")), "a deployment runs its own copies, not the stack's scripts");
    }

    [Fact]
    public async Task With_debug_a_deployments_pod_scripts_see_CERC_SCRIPT_DEBUG_as_in_stack_mode()
    {
        var stack = Stack();
        Write("scripted/compose/pre.sh", "#!/bin/sh\necho \"debug=$CERC_SCRIPT_DEBUG\" >> \"$PWD/ran.txt\"\n", executable: true);
        Write("spec.yml", $"stack: {stack}\ndeploy-to: compose\n");
        var d = await _workspace.CreateAsync(_workspace.Combine("spec.yml"), "d");

        await SlipwayCommand.RunAsync("--debug", "deployment", "--dir", d.Directory, "start");
        await d.RunAsync("start");

        var ran = await File.ReadAllLinesAsync(d.File("pods", "front", "scripts", "ran.txt"));
        Assert.Equal(["debug=true", "debug="], ran.Where(l => l.StartsWith("debug=", StringComparison.Ordinal)));
    }
}
