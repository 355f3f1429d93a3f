namespace Slipway.Cli.Tests.Commands;

/// <summary>
/// laconic-so's own stacks by name (<c>--stack fixturenet-eth</c>): resolved from its repository once it is in the dev root
/// (fetch-stack cerc-io/stack-orchestrator puts it there) or from the data folder SLIPWAY_LACONIC_DATA names.
/// </summary>
public sealed class LaconicStackNameTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private string WriteLaconicData(string root)
    {
        _cli.Workspace.WriteFile($"{root}/stacks/fixture/stack.yml", "version: \"1.0\"\nname: fixture\npods:\n  - fixture\n");
        _cli.Workspace.WriteFile($"{root}/compose/docker-compose-fixture.yml", "services:\n  app:\n    image: cerc/fixture:local\n    ports:\n      - \"80\"\n");
        return _cli.Path(root);
    }

    [Fact]
    public async Task A_laconic_stack_name_resolves_from_the_stack_orchestrator_checkout_in_the_dev_root_for_init_and_create()
    {
        WriteLaconicData("repos/stack-orchestrator/stack_orchestrator/data");

        var init = await _cli.RunAsync("--stack", "fixture", "deploy", "init", "--output", "spec.yml");
        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.Contains("stack: fixture\n", File.ReadAllText(_cli.Path("spec.yml")));

        var create = await _cli.RunAsync("deploy", "create", "--spec-file", "spec.yml", "--deployment-dir", "D");
        Assert.True(create.ExitCode == 0, create.ToString());
        Assert.True(File.Exists(_cli.Path("D", "compose", "docker-compose-fixture.yml")), create.ToString());
    }

    [Fact]
    public async Task SLIPWAY_LACONIC_DATA_names_laconic_sos_data_folder()
    {
        var data = WriteLaconicData("elsewhere/data");
        _cli.Host = host => host with { LaconicDataRoots = [data] };

        var init = await _cli.RunAsync("--stack", "fixture", "deploy", "init", "--output", "spec.yml");

        Assert.True(init.ExitCode == 0, init.ToString());
    }

    [Fact]
    public async Task A_stack_shipped_with_Slipway_wins_over_laconic_sos_of_the_same_name()
    {
        WriteLaconicData("repos/stack-orchestrator/stack_orchestrator/data");
        _cli.Workspace.WriteFile("shipped/fixture/stack.yml", "name: ours\npods:\n  - ours\n");
        _cli.Workspace.WriteFile("shipped/fixture/compose/docker-compose-ours.yml", "services:\n  ours:\n    image: slipway/ours:local\n");
        _cli.Host = host => host with { ShippedStackRoots = [_cli.Path("shipped")] };

        var init = await _cli.RunAsync("--stack", "fixture", "deploy", "init", "--output", "spec.yml");

        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.DoesNotContain("app:", File.ReadAllText(_cli.Path("spec.yml")));
    }

    [Fact]
    public async Task An_unknown_name_says_how_laconic_sos_stacks_become_available()
    {
        var init = await _cli.RunAsync("--stack", "fixturenet-eth", "deploy", "init", "--output", "spec.yml");

        Assert.NotEqual(0, init.ExitCode);
        Assert.Contains("fetch-stack cerc-io/stack-orchestrator", init.Err);
    }

    [Fact]
    public async Task An_external_stack_uses_laconic_sos_compose_file_for_a_pod_it_does_not_carry_itself()
    {
        WriteLaconicData("repos/stack-orchestrator/stack_orchestrator/data");
        _cli.Workspace.WriteFile("ext/stack-orchestrator/stacks/mine/stack.yml", "version: \"1.0\"\nname: mine\npods:\n  - fixture\n");
        _cli.Workspace.WriteFile("ext/stack-orchestrator/compose/.keep", "");

        var init = await _cli.RunAsync("--stack", "ext/stack-orchestrator/stacks/mine", "deploy", "init", "--output", "spec.yml");
        Assert.True(init.ExitCode == 0, init.ToString());
        var create = await _cli.RunAsync("deploy", "create", "--spec-file", "spec.yml", "--deployment-dir", "D");

        Assert.True(create.ExitCode == 0, create.ToString());
        Assert.Contains("cerc/fixture:local", File.ReadAllText(_cli.Path("D", "compose", "docker-compose-fixture.yml")));
    }
}
