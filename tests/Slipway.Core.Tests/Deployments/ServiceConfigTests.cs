using System.Text;
using Slipway.Core.Compose;
using Slipway.Core.Config;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Rendering;
using Slipway.Core.Rendering.Compose;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;
using Slipway.Core.Yaml;
using Slipway.Infrastructure.Files;
using Slipway.TestKit;
using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Tests.Deployments;

/// <summary>Config precision on compose: each service's config-hash label covers exactly what it consumes.</summary>
public sealed class ServiceConfigTests : IDisposable
{
    private const string D = "/deployments/d1";
    private const string TestFile = "compose/docker-compose-test.yml";
    private const string DnsFile = "compose/docker-compose-dns.yml";
    private const string SetupFile = "compose-jobs/docker-compose-setup.yml";

    private readonly TempWorkspace _workspace = new();
    private StackBundle? _bundle;

    public void Dispose() => _workspace.Dispose();

    private RenderedDeployment Render(string config, IReadOnlyList<KeyValuePair<string, string>>? envFile = null)
    {
        var specText = "stack: ./data/stacks/test\nconfig:\n" + config + "\n";
        var diagnostics = new DiagnosticBag();
        var spec = SpecParser.Parse(specText, "/ops/spec.yml", diagnostics);
        Assert.DoesNotContain(diagnostics.Items, d => d.IsError);
        _bundle = TestStack.Load(_workspace);
        return DeploymentRenderer.Render(new RenderInputs
        {
            Spec = spec,
            SpecBytes = Encoding.UTF8.GetBytes(specText),
            Bundle = _bundle,
            StackBytes = File.ReadAllBytes(_bundle.Stack.Definition.FilePath),
            DeploymentDirectory = D,
            EnvFileEntries = envFile ?? [],
            Random = n => new byte[n],
            HostFiles = new DiskHostFiles(),
        });
    }

    /// <summary>The service of the last rendered bundle, as the parser modelled it.</summary>
    private ComposeService Model(string service) => Assert.Single(_bundle!.All.SelectMany(f => f.Compose.Services), s => s.Name == service);

    /// <summary>The config the render gave its services: the rendered config.env.</summary>
    private static Dictionary<string, string> Config(RenderedDeployment rendered) =>
        DotEnv.Parse(Text(rendered, "config.env")).Entries.ToDictionary(e => e.Key, e => e.Value);

    /// <summary>The config-hash label of <paramref name="service"/> in the rendered compose file <paramref name="path"/>.</summary>
    private static string Label(RenderedDeployment rendered, string path, string service)
    {
        var root = (YamlMappingNode)YamlDocuments.Load(Text(rendered, path), path, new DiagnosticBag())!;
        var node = (YamlMappingNode)((YamlMappingNode)root["services"])[service];
        return ((YamlScalarNode)((YamlMappingNode)node["labels"])[SlipwayLabels.ComposeConfigHashLabel]).Value!;
    }

    private static IEnumerable<string> Labels(RenderedDeployment rendered) =>
        [Label(rendered, TestFile, "test"), Label(rendered, DnsFile, "dns"), Label(rendered, SetupFile, "setup")];

    private static string Text(RenderedDeployment rendered, string path) =>
        Encoding.UTF8.GetString(Assert.Single(rendered.Files, f => f.RelativePath == path).Content);

    private static YamlMappingNode Service(string yaml)
    {
        var root = (YamlMappingNode)YamlDocuments.Load(yaml, "svc.yml", new DiagnosticBag())!;
        return root;
    }

    /// <summary>One service parsed from its YAML (indented under a compose file that declares the volume 'data').</summary>
    private static ComposeService Parsed(string yaml)
    {
        var indented = string.Concat(yaml.Split('\n').Select(l => l.Length == 0 ? "\n" : "    " + l + "\n"));
        var file = ComposeParser.Parse("services:\n  svc:\n" + indented + "volumes:\n  data:\n", "svc.yml", new DiagnosticBag(), _ => null);
        return Assert.Single(file.Services);
    }

    [Fact]
    public void A_service_consumes_the_config_keys_it_interpolates_and_binds_the_config_files_it_mounts()
    {
        var rendered = Render("  CERC_TEST_PARAM_1: a\n  UNUSED: b");

        Assert.Equal(ServiceConfig.Hash(Model("test"), "compose", rendered.Files), Label(rendered, TestFile, "test"));
        Assert.Equal(["CERC_TEST_PARAM_1"], Model("test").ConsumedKeys(Config(rendered)));
        Assert.Equal(["config/test/script.sh", "config/test/settings.env"], ServiceConfig.BoundFiles(Model("test"), "compose", rendered.Files).Select(f => f.RelativePath));
        Assert.Empty(Model("dns").ConsumedKeys(Config(rendered)));
        Assert.Empty(ServiceConfig.BoundFiles(Model("dns"), "compose", rendered.Files));
        Assert.Equal(ServiceConfig.Hash(Model("setup"), "compose-jobs", rendered.Files), Label(rendered, SetupFile, "setup"));
    }

    [Fact]
    public void Every_rendered_service_carries_its_hash_as_a_label()
    {
        var rendered = Render("  CERC_TEST_PARAM_1: a");

        Assert.Contains($"labels:\n      io.slipway.config-hash: \"{Label(rendered, TestFile, "test")}\"", Text(rendered, TestFile), StringComparison.Ordinal);
        Assert.Contains($"io.slipway.config-hash: \"{Label(rendered, DnsFile, "dns")}\"", Text(rendered, DnsFile), StringComparison.Ordinal);
        Assert.Equal(ServiceConfig.Hash(Model("dns"), "compose", rendered.Files), Label(rendered, DnsFile, "dns"));
        Assert.Matches("^[0-9a-f]{16}$", Label(rendered, TestFile, "test"));
    }

    [Fact]
    public void Changing_config_values_consumed_or_not_changes_no_compose_file_because_compose_resolves_them_itself()
    {
        var before = Render("  CERC_TEST_PARAM_1: a\n  UNUSED: b");
        var after = Render("  CERC_TEST_PARAM_1: changed\n  UNUSED: other\n  ADDED: c");

        Assert.NotEqual(Text(before, "config.env"), Text(after, "config.env"));
        foreach (var file in before.Files.Where(f => f.RelativePath.StartsWith("compose", StringComparison.Ordinal)))
        {
            Assert.Equal(Encoding.UTF8.GetString(file.Content), Text(after, file.RelativePath));
        }
    }

    [Fact]
    public void The_label_never_depends_on_a_value_so_no_secret_can_be_guessed_from_it()
    {
        var before = Render("  CERC_TEST_PARAM_1: a", [new("CERC_TEST_PARAM_1", "s3cret-from-env-file")]);
        Assert.Equal(["CERC_TEST_PARAM_1"], Model("test").ConsumedKeys(Config(before)));
        var after = Render("  CERC_TEST_PARAM_1: a", [new("CERC_TEST_PARAM_1", "other-secret")]);

        Assert.Equal(Label(before, TestFile, "test"), Label(after, TestFile, "test"));
    }

    [Fact]
    public void Changing_a_bound_config_file_changes_only_the_hash_of_the_service_that_binds_it()
    {
        var before = Render("  CERC_TEST_PARAM_1: a");
        var rendered = RenderAfter(() => _workspace.WriteFile("data/config/test/settings.env", "ANSWER=43\n"));

        Assert.NotEqual(Label(before, TestFile, "test"), Label(rendered, TestFile, "test"));
        Assert.Equal(Label(before, DnsFile, "dns"), Label(rendered, DnsFile, "dns"));
        Assert.Equal(Label(before, SetupFile, "setup"), Label(rendered, SetupFile, "setup"));
    }

    /// <summary>Renders with an edit applied after TestStack.Load has (re)written the stack files.</summary>
    private RenderedDeployment RenderAfter(Action edit)
    {
        const string SpecText = "stack: ./data/stacks/test\nconfig:\n  CERC_TEST_PARAM_1: a\n";
        var diagnostics = new DiagnosticBag();
        var spec = SpecParser.Parse(SpecText, "/ops/spec.yml", diagnostics);
        var bundle = TestStack.Load(_workspace);
        edit();
        return DeploymentRenderer.Render(new RenderInputs
        {
            Spec = spec,
            SpecBytes = Encoding.UTF8.GetBytes(SpecText),
            Bundle = bundle,
            StackBytes = File.ReadAllBytes(bundle.Stack.Definition.FilePath),
            DeploymentDirectory = D,
            HostFiles = new DiskHostFiles(),
        });
    }

    [Fact]
    public void Rendering_the_same_inputs_twice_gives_the_same_hashes()
    {
        Assert.Equal(
            Labels(Render("  CERC_TEST_PARAM_1: a")),
            Labels(Render("  CERC_TEST_PARAM_1: a")));
    }

    [Theory]
    [InlineData("environment:\n  - KEY\n")]
    [InlineData("environment:\n  KEY:\n")]
    [InlineData("environment:\n  OTHER: x-${KEY:-d}\n")]
    [InlineData("command: [\"echo\", \"$KEY\"]\n")]
    public void A_key_is_consumed_when_named_without_a_value_in_environment_or_interpolated_anywhere(string yaml)
    {
        var keys = Parsed("image: x\n" + yaml).ConsumedKeys(new Dictionary<string, string> { ["KEY"] = "v", ["NOT_USED"] = "w" });

        Assert.Equal(["KEY"], keys);
    }

    [Theory]
    [InlineData("environment:\n  - KEY=literal\n")]
    [InlineData("environment:\n  KEY: literal\n")]
    [InlineData("command: [\"echo\", \"$$KEY\"]\n")]
    public void A_key_set_literally_or_escaped_is_not_consumed(string yaml)
    {
        Assert.Empty(Parsed("image: x\n" + yaml).ConsumedKeys(new Dictionary<string, string> { ["KEY"] = "v" }));
    }

    [Fact]
    public void Bound_folders_env_files_and_long_syntax_binds_are_followed_but_volumes_and_paths_outside_D_are_not()
    {
        var service = Parsed("""
            image: x
            env_file: ../config/a/app.env
            volumes:
              - ../config/dir:/etc/dir:ro
              - type: bind
                source: ../config/b/long.conf
                target: /etc/long.conf
              - data:/data
              - /etc/hosts:/etc/hosts:ro
              - ../../outside:/o
            """);
        RenderedFile F(string path) => RenderedFile.Text(path, path);
        var files = new[] { F("config/a/app.env"), F("config/dir/x.conf"), F("config/dir/sub/y.conf"), F("config/dirty/z"), F("config/b/long.conf"), F("config/b/other.conf") };

        var bound = ServiceConfig.BoundFiles(service, "compose", files).Select(f => f.RelativePath);

        Assert.Equal(["config/a/app.env", "config/b/long.conf", "config/dir/sub/y.conf", "config/dir/x.conf"], bound);
    }

    [Fact]
    public void The_label_is_added_to_a_label_list_and_replaces_an_old_one()
    {
        var service = Service("image: x\nlabels:\n  - a=b\n  - io.slipway.config-hash=old\n");

        ServiceConfig.SetHashLabel(service, "new");

        Assert.Equal("image: x\nlabels:\n- a=b\n- \"io.slipway.config-hash=new\"\n", YamlDocuments.Save(service));
    }

    [Fact]
    public void The_label_joins_existing_labels_in_a_mapping()
    {
        var service = Service("image: x\nlabels:\n  a: b\n");

        ServiceConfig.SetHashLabel(service, "h");

        Assert.Equal("image: x\nlabels:\n  a: b\n  io.slipway.config-hash: \"h\"\n", YamlDocuments.Save(service));
    }
}
