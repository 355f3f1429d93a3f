using System.Text;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Rendering;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Files;
using Slipway.TestKit;

namespace Slipway.Core.Tests.Rendering;

/// <summary>
/// deploy create's copy of the stack's config folders when a bind's source has variables in it
/// (<c>../config/${NETWORK:-mainnet}/genesis.json</c>): resolved as compose will resolve it, from the deployment's config.
/// </summary>
public sealed class ConfigFoldersTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private RenderedDeployment Render(string volume, string config = "", IReadOnlyList<KeyValuePair<string, string>>? envFiles = null)
    {
        _workspace.WriteFile("stack/stack.yml", "version: \"1.0\"\nname: node\npods:\n  - node\n");
        _workspace.WriteFile("stack/compose/docker-compose-node.yml", $"services:\n  node:\n    image: busybox\n    volumes:\n      - {volume}:/genesis.json:ro\n");
        if (!File.Exists(_workspace.Combine("stack", "config", "mainnet", "genesis.json")))
        {
            _workspace.WriteFile("stack/config/mainnet/genesis.json", "{\"chain\": \"main\"}\n");
            _workspace.WriteFile("stack/config/testnet/genesis.json", "{\"chain\": \"test\"}\n");
        }

        var specText = "stack: ./stack\n" + config;
        var diagnostics = new DiagnosticBag();
        var spec = SpecParser.Parse(specText, _workspace.Combine("spec.yml"), diagnostics);
        var stack = Stack.Load(_workspace.Combine("stack"), new DiskHostFiles(), diagnostics);
        var bundle = StackBundle.Load(stack, _workspace.Combine("repos"), _ => null, diagnostics);
        Assert.DoesNotContain(diagnostics.Items, d => d.IsError);
        return DeploymentRenderer.Render(new RenderInputs
        {
            Spec = spec,
            SpecBytes = Encoding.UTF8.GetBytes(specText),
            Bundle = bundle,
            StackBytes = File.ReadAllBytes(stack.Definition.FilePath),
            DeploymentDirectory = _workspace.Combine("d"),
            HostFiles = new DiskHostFiles(),
            EnvFileEntries = envFiles ?? [],
        });
    }

    private static List<string> ConfigFiles(RenderedDeployment rendered) =>
        rendered.Files.Select(f => f.RelativePath).Where(p => p.StartsWith("config/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void A_variable_with_a_default_resolves_to_the_default_folder_which_is_copied_without_a_warning()
    {
        var rendered = Render("../config/${NETWORK:-mainnet}/genesis.json");

        Assert.Empty(rendered.Warnings);
        Assert.Equal(["config/mainnet/genesis.json"], ConfigFiles(rendered));
    }

    [Fact]
    public void The_specs_config_and_the_env_files_decide_the_folder_as_they_do_for_compose()
    {
        var fromSpec = Render("../config/${NETWORK:-mainnet}/genesis.json", "config:\n  NETWORK: testnet\n");
        var fromEnvFile = Render("../config/${NETWORK:-mainnet}/genesis.json", envFiles: [new("NETWORK", "testnet")]);

        Assert.Empty(fromSpec.Warnings);
        Assert.Equal(["config/testnet/genesis.json"], ConfigFiles(fromSpec));
        Assert.Equal(["config/testnet/genesis.json"], ConfigFiles(fromEnvFile));
    }

    [Fact]
    public void A_variable_nothing_sets_is_named_as_what_the_path_depends_on_and_its_fixed_folder_is_still_copied()
    {
        var rendered = Render("../config/mainnet/${GENESIS_FILE}");

        var warning = Assert.Single(rendered.Warnings);
        Assert.Equal(DiagnosticCodes.NotFound, warning.Code);
        Assert.DoesNotContain("does not exist", warning.Message, StringComparison.Ordinal);
        Assert.Contains("'../config/mainnet/${GENESIS_FILE}' depends on ${GENESIS_FILE}, which the deployment's config does not set", warning.Message, StringComparison.Ordinal);
        Assert.Equal(["config/mainnet/genesis.json"], ConfigFiles(rendered));
    }

    [Fact]
    public void A_resolved_path_that_is_missing_still_does_not_exist_and_the_warning_shows_what_it_resolved_to()
    {
        var rendered = Render("../config/${NETWORK:-mainnet}/nope.json");

        var warning = Assert.Single(rendered.Warnings);
        Assert.Contains("'../config/${NETWORK:-mainnet}/nope.json' (../config/mainnet/nope.json) does not exist in the stack", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_compose_config_hash_covers_the_file_the_variable_resolves_to()
    {
        var before = Render("../config/${NETWORK:-mainnet}/genesis.json");
        _workspace.WriteFile("stack/config/mainnet/genesis.json", "{\"chain\": \"main\", \"height\": 2}\n");
        var afterWrite = ComposeText(Render("../config/${NETWORK:-mainnet}/genesis.json"));

        Assert.NotEqual(ComposeText(before), afterWrite);
    }

    private static string ComposeText(RenderedDeployment rendered) =>
        Encoding.UTF8.GetString(Assert.Single(rendered.Files, f => f.RelativePath == "compose/docker-compose-node.yml").Content);
}
