using Slipway.Core.Stacks;
using Slipway.Infrastructure.Composition;
using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.Hooks;

/// <summary>
/// laconic-so's commands.py hooks, written in its style, run under the real python3 with Slipway's shim: init's defaults
/// reach the spec, create works in D, modify_yaml keeps to D, setup's run_container_command runs a real one-off container.
/// </summary>
[Collection(SideBySideCollection.Name)]
public sealed class PythonHookTests : IAsyncLifetime
{
    private const string Imports = """
        from stack_orchestrator.util import get_yaml
        from stack_orchestrator.deploy.deploy_types import DeployCommandContext, LaconicStackSetupCommand
        from stack_orchestrator.deploy.deployment_context import DeploymentContext
        from stack_orchestrator.deploy.stack_state import State
        from stack_orchestrator.deploy.deploy_util import VolumeMapping, run_container_command
        from stack_orchestrator.opts import opts
        from pathlib import Path
        import sys

        """;

    private readonly TempWorkspace _workspace = new();
    private readonly List<string> _projects = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // run --rm removes its container; the project's network stays until a down.
        foreach (var project in _projects) await Docker.RunAsync("compose", "--project-name", project, "down", "--remove-orphans");
        _workspace.Dispose();
    }

    /// <summary>laconic-so's layout: stacks/net/{stack.yml,deploy/commands.py} beside compose/docker-compose-net.yml.</summary>
    private string Stack(string commands)
    {
        _workspace.WriteFile("so/stacks/net/stack.yml", "version: \"1.0\"\nname: net\npods:\n  - net\n");
        _workspace.WriteFile("so/compose/docker-compose-net.yml", "services:\n  net:\n    image: cerc/test-container:local\n");
        _workspace.WriteFile("so/stacks/net/deploy/commands.py", Imports + commands);
        return _workspace.Combine("so", "stacks", "net");
    }

    private string Spec(string stack) => _workspace.WriteFile("spec.yml", $"stack: {stack}\ndeploy-to: compose\n");

    [Fact]
    public async Task Init_merges_the_dict_init_returns_into_the_spec_and_config_given_on_the_command_line_wins()
    {
        var stack = Stack("""
            default_spec_file_content = '''config:
                FROM_INIT: init-value
                SHARED: init-value
            '''


            def init(command_context: DeployCommandContext):
                print(f"init of {command_context.stack}")
                return get_yaml().load(default_spec_file_content)
            """);

        var init = await SlipwayCommand.RunAsync("--stack", stack, "deploy", "init", "--output", _workspace.Combine("spec.yml"), "--config", "SHARED=typed");

        var spec = _workspace.ReadFile("spec.yml");
        Assert.Contains("  FROM_INIT: init-value\n", spec);
        Assert.Contains("  SHARED: typed\n", spec);
        Assert.DoesNotContain("SHARED: init-value", spec);
        Assert.Contains($"init of {stack}", init.AllOutput);
    }

    [Fact]
    public async Task Create_writes_into_d_with_network_dir_and_initial_peers_as_its_first_extra_args_and_d_keeps_a_copy_of_the_module()
    {
        const string Create = """
            def create(deployment_context: DeploymentContext, extra_args):
                with open(deployment_context.deployment_dir.joinpath("create-file"), "w+") as output_file:
                    output_file.write(f"{list(extra_args)}\n{deployment_context.id}\n{deployment_context.stack.name}\n{deployment_context.spec.get_deployment_type()}\n")
                print("create-command-output-data")
            """;
        var stack = Stack(Create);
        var d = _workspace.Combine("d");

        var create = await SlipwayCommand.RunAsync("deploy", "create", "--spec-file", Spec(stack), "--deployment-dir", d,
            "--network-dir", _workspace.Combine("netdir"), "--initial-peers", "a@1.2.3.4:26656", "more");
        var plain = await SlipwayCommand.RunAsync("deploy", "create", "--spec-file", Spec(stack), "--deployment-dir", _workspace.Combine("d2"));

        var clusterId = File.ReadAllLines(Path.Combine(d, "deployment.yml")).Single(l => l.StartsWith("cluster-id:", StringComparison.Ordinal))["cluster-id:".Length..].Trim();
        Assert.Equal($"['{_workspace.Combine("netdir")}', 'a@1.2.3.4:26656', 'more']\n{clusterId}\nnet\ncompose\n", File.ReadAllText(Path.Combine(d, "create-file")));
        Assert.StartsWith("[None, None]\n", File.ReadAllText(_workspace.Combine("d2", "create-file")));
        Assert.Contains("create-command-output-data", create.AllOutput);
        Assert.Equal(Imports + Create, File.ReadAllText(Path.Combine(d, PythonHooks.DeploymentFolder, "commands.py")));
        Assert.Contains("create-command-output-data", plain.AllOutput);
    }

    [Fact]
    public async Task An_early_stack_importing_laconic_sos_package_as_app_gets_the_same_context_classes()
    {
        var stack = Stack("""
            from app.deploy.deploy_types import DeployCommandContext, LaconicStackSetupCommand, DeploymentContext as Early


            def create(context: Early, extra_args):
                context.deployment_dir.joinpath("early-file").write_text(f"{isinstance(context, DeploymentContext)}")
            """);
        var d = _workspace.Combine("d");

        await SlipwayCommand.RunAsync("deploy", "create", "--spec-file", Spec(stack), "--deployment-dir", d);

        Assert.Equal("True", File.ReadAllText(Path.Combine(d, "early-file")));
    }

    [Fact]
    public async Task Modify_yaml_edits_a_file_of_d_and_refuses_a_file_outside_it()
    {
        var stack = Stack("""
            def create(deployment_context: DeploymentContext, extra_args):
                deployment_context.modify_yaml(deployment_context.get_compose_file("net"),
                                               lambda y: y["services"]["net"].update({"labels": {"edited": "by-create"}}))
                try:
                    deployment_context.modify_yaml(deployment_context.deployment_dir / ".." / "outside.yml", lambda y: y.update({"x": 2}))
                except ValueError as e:
                    print(f"refused: {e}")
                else:
                    sys.exit("modify_yaml wrote outside D")
            """);
        var outside = _workspace.WriteFile("outside.yml", "x: 1\n");
        var d = _workspace.Combine("d");

        var create = await SlipwayCommand.RunAsync("deploy", "create", "--spec-file", Spec(stack), "--deployment-dir", d);

        Assert.Contains("edited: by-create", File.ReadAllText(Path.Combine(d, "compose", "docker-compose-net.yml")));
        Assert.Equal("x: 1\n", File.ReadAllText(outside));
        Assert.Contains("refused: File is not inside deployment directory", create.AllOutput);
    }

    [Fact]
    public async Task Setup_gets_its_flags_as_parameters_and_run_container_command_runs_a_one_off_container_of_the_service_writing_to_a_mount()
    {
        var stack = Stack("""
            def setup(command_context: DeployCommandContext, parameters: LaconicStackSetupCommand, extra_args):
                host_directory = Path(parameters.network_dir).absolute()
                host_directory.mkdir(parents=True, exist_ok=True)
                mounts = [VolumeMapping(str(host_directory), "/data")]
                output, status = run_container_command(command_context, "net",
                                                       f"echo {parameters.chain_id}-{parameters.node_moniker} > /data/output-file && echo success", mounts)
                print(f"container said {output.strip()} status {status} initialize {parameters.initialize_network} join {parameters.join_network} extra {list(extra_args)}")
            """);
        var project = "slipway-pyhook-" + Guid.NewGuid().ToString("N")[..8];
        _projects.Add(project);

        var setup = await SlipwayCommand.RunAsync("--stack", stack, "deploy", "--cluster", project, "setup", "--chain-id", "laconic_9000-1", "--node-moniker", "n1",
            "--initialize-network", "--network-dir", _workspace.Combine("netdir"), "extra-1");

        Assert.Equal("laconic_9000-1-n1\n", File.ReadAllText(_workspace.Combine("netdir", "output-file")));
        Assert.Contains("container said success status 0 initialize True join False extra ['extra-1']", setup.StandardOutput);
        // The one-off container ran in the project --cluster named (compose made its network; run --rm left no container).
        Assert.True((await Docker.RunAsync("network", "inspect", project + "_default")).Succeeded, setup.ToString());
        Assert.Empty(await Docker.ContainerIdsAsync(project));
    }

    [Fact]
    public async Task A_hook_that_exits_non_zero_fails_the_command_with_its_output_and_leaves_no_deployment()
    {
        var stack = Stack("""
            def create(deployment_context: DeploymentContext, extra_args):
                network_dir = extra_args[0]
                if network_dir is None:
                    print("Error: --network-dir must be supplied")
                    sys.exit(1)
            """);
        var d = _workspace.Combine("d");

        var create = await SlipwayCommand.RunAsync(Cli.ExitCodes.DeploymentFailed, "deploy", "create", "--spec-file", Spec(stack), "--deployment-dir", d);

        Assert.Contains($"create() of {_workspace.Combine("so", "stacks", "net", "deploy", "commands.py")} failed (exit code 1)", create.StandardError);
        Assert.Contains("Error: --network-dir must be supplied", create.StandardError);
        Assert.False(Directory.Exists(d));
    }

    [Fact]
    public async Task Get_yaml_without_ruamel_or_pyyaml_fails_saying_what_to_install()
    {
        var stack = Stack("""
            def create(deployment_context: DeploymentContext, extra_args):
                # As on a host with neither installed: an import of a None entry raises ImportError.
                for name in ("yaml", "ruamel", "ruamel.yaml"):
                    sys.modules[name] = None
                get_yaml()
            """);

        var create = await SlipwayCommand.RunAsync(Cli.ExitCodes.DeploymentFailed, "deploy", "create", "--spec-file", Spec(stack), "--deployment-dir", _workspace.Combine("d"));

        Assert.Contains("get_yaml() needs ruamel.yaml or PyYAML: install python3-yaml (apt-get install python3-yaml)", create.StandardError);
    }

    [Fact]
    public async Task A_repository_pods_commands_py_is_found_in_the_dev_root_and_run()
    {
        _workspace.WriteFile("so/stacks/pods/stack.yml", "version: \"1.0\"\nname: pods\npods:\n  - name: node\n    repository: example.org/org/node-repo\n    path: pod\n");
        _workspace.WriteFile("devroot/node-repo/pod/docker-compose.yml", "services:\n  node:\n    image: cerc/test-container:local\n");
        _workspace.WriteFile("devroot/node-repo/pod/stack/deploy/commands.py", Imports + """
            def init(command_context):
                return {"config": {"FROM_POD_REPOSITORY": "found"}}
            """);
        var host = HostSettings.FromEnvironment() with { RepositoryBase = _workspace.Combine("devroot") };

        var init = await SlipwayCommand.RunUncheckedAsync(host, "--stack", _workspace.Combine("so", "stacks", "pods"), "deploy", "init", "--output", _workspace.Combine("spec.yml"));

        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.Contains("  FROM_POD_REPOSITORY: found\n", _workspace.ReadFile("spec.yml"));
    }

    [Fact]
    public async Task Without_python3_a_stack_whose_hook_would_run_fails_saying_to_install_it()
    {
        var stack = Stack("def init(command_context):\n    return None\n");
        var host = HostSettings.FromEnvironment();
        host = host with { Tools = host.Tools with { Python = "slipway-test-no-such-python3" } };

        var init = await SlipwayCommand.RunUncheckedAsync(host, "--stack", stack, "deploy", "init", "--output", _workspace.Combine("spec.yml"));

        Assert.True(init.ExitCode == Cli.ExitCodes.PrerequisiteMissing, init.ToString());
        Assert.Contains("defines init(), which runs under python3, and 'slipway-test-no-such-python3' could not be started", init.StandardError);
        Assert.Contains("install python3 and python3-yaml", init.StandardError);
        Assert.False(File.Exists(_workspace.Combine("spec.yml")));
    }
}
