using System.Text.Json.Nodes;
using Slipway.Core.Stacks;

namespace Slipway.Core.Tests.Stacks;

/// <summary>The context JSON Slipway hands its Python bridge: the keys slipway_bridge.py reads, in laconic-so's shapes.</summary>
public sealed class PythonHookCallTests
{
    private static PythonHookCall Call(string hook) => new()
    {
        Hook = hook,
        Modules = ["/s/deploy/commands.py"],
        StackPath = "/s",
        StackName = "net",
        ResultFile = "/tmp/x/result.json",
    };

    [Fact]
    public void Setup_gets_every_field_of_laconic_sos_setup_command_switches_as_bools_and_missing_values_as_null()
    {
        var json = JsonNode.Parse((Call("setup") with
        {
            SetupFlags = new Dictionary<string, string> { ["chain-id"] = "laconic_9000-1", ["initialize-network"] = "true", ["gentx-addresses"] = "a,b" },
            ExtraArguments = ["x"],
        }).ToJson())!;

        var setup = json["setup"]!.AsObject();
        Assert.Equal(
            ["chain_id", "node_moniker", "key_name", "initialize_network", "join_network", "connect_network", "create_network", "gentx_file_list", "gentx_address_list", "genesis_file", "network_dir"],
            setup.Select(p => p.Key));
        Assert.Equal("laconic_9000-1", (string?)setup["chain_id"]);
        Assert.True((bool)setup["initialize_network"]!);
        Assert.False((bool)setup["join_network"]!);
        Assert.Equal("a,b", (string?)setup["gentx_address_list"]);
        Assert.Null(setup["node_moniker"]);
        Assert.Equal("x", (string?)json["extra_args"]![0]);
    }

    [Fact]
    public void Create_gets_network_dir_and_initial_peers_first_null_where_not_given_then_the_extra_arguments()
    {
        var json = JsonNode.Parse((Call("create") with
        {
            ExtraArguments = PythonHookCall.CreateArguments(null, "a@1.2.3.4:26656", ["more"]),
            Deployment = new HookDeployment("/d", "laconic-abc", "slipway-def"),
        }).ToJson())!;

        Assert.Equal("""[null,"a@1.2.3.4:26656","more"]""", json["extra_args"]!.ToJsonString());
        Assert.Equal("""{"dir":"/d","cluster_id":"laconic-abc","deployment_id":"slipway-def"}""", json["deployment"]!.ToJsonString());
        Assert.Null(json["setup"]);
        Assert.Null(json["compose"]);
    }

    [Fact]
    public void The_global_flags_are_laconic_sos_opts_and_the_compose_project_is_the_command_line_slipways_compose_calls_start_with()
    {
        var json = JsonNode.Parse((Call("setup") with
        {
            Options = new LaconicOptions(Debug: true, DryRun: false, Stack: "stacks/net"),
            ConfigDirectory = "/s/config",
            Compose = new HookCompose("docker", ["compose", "--project-name", "laconic-1", "--file", "/s/compose/a.yml"],
                new Dictionary<string, string?> { ["COMPOSE_FILE"] = null, ["CERC_HOST_UID"] = "0" }, "/work", "laconic-1", ["/s/compose/a.yml"], null),
        }).ToJson())!;

        Assert.Equal("""{"debug":true,"verbose":false,"quiet":false,"dry_run":false,"local_stack":false,"continue_on_error":false,"stack":"stacks/net"}""", json["opts"]!.ToJsonString());
        Assert.Equal("""{"path":"/s","name":"net","config_dir":"/s/config"}""", json["stack"]!.ToJsonString());
        var compose = json["compose"]!;
        Assert.Equal("docker", (string?)compose["program"]);
        Assert.Equal("""["compose","--project-name","laconic-1","--file","/s/compose/a.yml"]""", compose["arguments"]!.ToJsonString());
        Assert.Equal("""{"CERC_HOST_UID":"0","COMPOSE_FILE":null}""", compose["environment"]!.ToJsonString());
        Assert.Equal("laconic-1", (string?)compose["project"]);
        Assert.Equal("/tmp/x/result.json", (string?)json["result_file"]);
        Assert.Equal("setup", (string?)json["hook"]);
        Assert.Equal("""["/s/deploy/commands.py"]""", json["modules"]!.ToJsonString());
    }
}
