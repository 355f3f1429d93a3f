namespace Slipway.Cli.Tests.Commands;

/// <summary>deploy create's word for a config bind whose source has variables: resolved, or "depends on", never a false "does not exist".</summary>
public sealed class ConfigBindWarningTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private void WriteStack(string config = "")
    {
        _cli.Workspace.WriteFile("stack/stack.yml", "name: node\npods:\n  - node\n");
        _cli.Workspace.WriteFile("stack/compose/docker-compose-node.yml",
            "services:\n  node:\n    image: busybox\n    volumes:\n      - ../config/${NETWORK:-mainnet}/genesis.json:/genesis.json:ro\n      - ../config/keys/${KEY_FILE}:/key:ro\n");
        _cli.Workspace.WriteFile("stack/config/mainnet/genesis.json", "{}\n");
        _cli.Workspace.WriteFile("stack/config/testnet/genesis.json", "{}\n");
        _cli.Workspace.WriteFile("stack/config/keys/node.key", "k\n");
        _cli.Workspace.WriteFile("spec.yml", "stack: ./stack\n" + config);
    }

    [Fact]
    public async Task Create_resolves_a_default_quietly_and_names_the_variable_a_path_depends_on_at_its_line()
    {
        WriteStack();

        var run = await _cli.RunAsync("deploy", "create", "--spec-file", "spec.yml", "--deployment-dir", "D");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.DoesNotContain("does not exist", run.Err);
        Assert.Contains("docker-compose-node.yml:6:9: warning SW007: '../config/keys/${KEY_FILE}' depends on ${KEY_FILE}, which the deployment's config does not set, "
            + "so deploy create cannot tell which file it names; the stack's config/keys is copied whole", run.Err);
        Assert.True(File.Exists(_cli.Path("D", "config", "mainnet", "genesis.json")));
        Assert.False(Directory.Exists(_cli.Path("D", "config", "testnet")));
        Assert.True(File.Exists(_cli.Path("D", "config", "keys", "node.key")));
    }

    [Fact]
    public async Task Create_follows_the_specs_config_for_both_paths_and_warns_about_neither()
    {
        WriteStack("config:\n  NETWORK: testnet\n  KEY_FILE: node.key\n");

        var run = await _cli.RunAsync("deploy", "create", "--spec-file", "spec.yml", "--deployment-dir", "D");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.DoesNotContain("SW007", run.Err);
        Assert.True(File.Exists(_cli.Path("D", "config", "testnet", "genesis.json")));
        Assert.False(Directory.Exists(_cli.Path("D", "config", "mainnet")));
    }
}
