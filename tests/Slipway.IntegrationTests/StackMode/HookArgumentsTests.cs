using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.StackMode;

/// <summary>deploy setup's flags and deploy create's --network-dir / --initial-peers reach the stack's hook executables.</summary>
[Collection(SideBySideCollection.Name)]
public sealed class HookArgumentsTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private string Stack()
    {
        _workspace.WriteFile("net/stack.yml", "version: \"1.0\"\nname: net\npods:\n  - node\n");
        _workspace.WriteFile("net/compose/docker-compose-node.yml", "services:\n  node:\n    image: slipway/hello:local\n");
        const string Dump = "#!/bin/sh\n{ echo \"args: $*\"; env | grep '^SLIPWAY_' | grep -v 'SLIPWAY_STACK\\|SLIPWAY_HOOK\\|SLIPWAY_DEPLOY' | sort; } > \"$OUT\"\n";
        foreach (var hook in new[] { "setup", "create" })
        {
            var path = _workspace.WriteFile($"net/hooks/{hook}", Dump.Replace("$OUT", _workspace.Combine($"{hook}.out"), StringComparison.Ordinal));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }

        return _workspace.Combine("net");
    }

    [Fact]
    public async Task Setup_hands_each_given_flag_and_the_extra_arguments_to_the_setup_hook()
    {
        var stack = Stack();

        await SlipwayCommand.RunAsync("--stack", stack, "deploy", "setup", "--chain-id", "laconic_9000-1", "--node-moniker", "n1", "--initialize-network", "--network-dir", _workspace.Combine("netdir"), "extra-1", "extra-2");

        var seen = await File.ReadAllTextAsync(_workspace.Combine("setup.out"));
        Assert.Contains("args: extra-1 extra-2\n", seen);
        Assert.Contains("SLIPWAY_SETUP_CHAIN_ID=laconic_9000-1\n", seen);
        Assert.Contains("SLIPWAY_SETUP_NODE_MONIKER=n1\n", seen);
        Assert.Contains("SLIPWAY_SETUP_INITIALIZE_NETWORK=true\n", seen);
        Assert.Contains($"SLIPWAY_SETUP_NETWORK_DIR={_workspace.Combine("netdir")}\n", seen);
        Assert.DoesNotContain("SLIPWAY_SETUP_JOIN_NETWORK", seen);
    }

    [Fact]
    public async Task Create_hands_network_dir_initial_peers_and_extra_arguments_to_the_create_hook()
    {
        var stack = Stack();
        var spec = _workspace.WriteFile("spec.yml", $"stack: {stack}\ndeploy-to: compose\n");

        await SlipwayCommand.RunAsync("deploy", "create", "--spec-file", spec, "--deployment-dir", _workspace.Combine("d"), "--network-dir", _workspace.Combine("netdir"), "--initial-peers", "a@1.2.3.4:26656", "more");

        var seen = await File.ReadAllTextAsync(_workspace.Combine("create.out"));
        Assert.Contains("args: more\n", seen);
        Assert.Contains($"SLIPWAY_NETWORK_DIR={_workspace.Combine("netdir")}\n", seen);
        Assert.Contains("SLIPWAY_INITIAL_PEERS=a@1.2.3.4:26656\n", seen);
    }

    [Fact]
    public async Task Setup_of_a_stack_without_a_setup_hook_says_so()
    {
        _workspace.WriteFile("plain/stack.yml", "version: \"1.0\"\nname: plain\npods: []\n");

        var result = await SlipwayCommand.RunFailingAsync("--stack", _workspace.Combine("plain"), "deploy", "setup");

        Assert.Contains("has no setup hook", result.StandardError);
    }
}
