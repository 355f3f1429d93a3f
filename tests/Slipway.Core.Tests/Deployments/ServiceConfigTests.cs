using System.Text;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
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

    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private RenderedDeployment Render(string config, IReadOnlyList<KeyValuePair<string, string>>? envFile = null)
    {
        var specText = "stack: ./data/stacks/test\nconfig:\n" + config + "\n";
        var diagnostics = new DiagnosticBag();
        var spec = SpecParser.Parse(specText, "/ops/spec.yml", diagnostics);
        Assert.DoesNotContain(diagnostics.Items, d => d.IsError);
        var bundle = TestStack.Load(_workspace);
        return DeploymentRenderer.Render(new RenderInputs
        {
            Spec = spec,
            SpecBytes = Encoding.UTF8.GetBytes(specText),
            Bundle = bundle,
            StackBytes = File.ReadAllBytes(bundle.Stack.Definition.FilePath),
            DeploymentDirectory = D,
            EnvFileEntries = envFile ?? [],
            Random = n => new byte[n],
            HostFiles = new DiskHostFiles(),
        });
    }

    private static ServiceConfigUse Use(RenderedDeployment rendered, string service) => Assert.Single(rendered.ConfigUse, u => u.Service == service);

    private static string Text(RenderedDeployment rendered, string path) =>
        Encoding.UTF8.GetString(Assert.Single(rendered.Files, f => f.RelativePath == path).Content);

    private static YamlMappingNode Service(string yaml)
    {
        var root = (YamlMappingNode)YamlDocuments.Load(yaml, "svc.yml", new DiagnosticBag())!;
        return root;
    }

    [Fact]
    public void A_service_consumes_the_config_keys_it_interpolates_and_binds_the_config_files_it_mounts()
    {
        var rendered = Render("  CERC_TEST_PARAM_1: a\n  UNUSED: b");

        var test = Use(rendered, "test");
        Assert.Equal(TestFile, test.File);
        Assert.Equal(["CERC_TEST_PARAM_1"], test.Keys);
        Assert.Equal(["config/test/script.sh", "config/test/settings.env"], test.Files);
        var dns = Use(rendered, "dns");
        Assert.Empty(dns.Keys);
        Assert.Empty(dns.Files);
        Assert.Equal("compose-jobs/docker-compose-setup.yml", Use(rendered, "setup").File);
    }

    [Fact]
    public void Every_rendered_service_carries_its_hash_as_a_label()
    {
        var rendered = Render("  CERC_TEST_PARAM_1: a");

        Assert.Contains($"labels:\n      io.slipway.config-hash: \"{Use(rendered, "test").Hash}\"", Text(rendered, TestFile), StringComparison.Ordinal);
        Assert.Contains($"io.slipway.config-hash: \"{Use(rendered, "dns").Hash}\"", Text(rendered, DnsFile), StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{16}$", Use(rendered, "test").Hash);
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
        var after = Render("  CERC_TEST_PARAM_1: a", [new("CERC_TEST_PARAM_1", "other-secret")]);

        Assert.Equal(["CERC_TEST_PARAM_1"], Use(before, "test").Keys);
        Assert.Equal(Use(before, "test").Hash, Use(after, "test").Hash);
    }

    [Fact]
    public void Changing_a_bound_config_file_changes_only_the_hash_of_the_service_that_binds_it()
    {
        var before = Render("  CERC_TEST_PARAM_1: a");
        var rendered = RenderAfter(() => _workspace.WriteFile("data/config/test/settings.env", "ANSWER=43\n"));

        Assert.NotEqual(Use(before, "test").Hash, Use(rendered, "test").Hash);
        Assert.Equal(Use(before, "dns").Hash, Use(rendered, "dns").Hash);
        Assert.Equal(Use(before, "setup").Hash, Use(rendered, "setup").Hash);
    }

    /// <summary>Renders with an edit applied after TestStack.Load has (re)written the stack files.</summary>
    private RenderedDeployment RenderAfter(Action edit)
    {
        const string specText = "stack: ./data/stacks/test\nconfig:\n  CERC_TEST_PARAM_1: a\n";
        var diagnostics = new DiagnosticBag();
        var spec = SpecParser.Parse(specText, "/ops/spec.yml", diagnostics);
        var bundle = TestStack.Load(_workspace);
        edit();
        return DeploymentRenderer.Render(new RenderInputs
        {
            Spec = spec,
            SpecBytes = Encoding.UTF8.GetBytes(specText),
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
            Render("  CERC_TEST_PARAM_1: a").ConfigUse.Select(u => u.Hash),
            Render("  CERC_TEST_PARAM_1: a").ConfigUse.Select(u => u.Hash));
    }

    [Theory]
    [InlineData("environment:\n  - KEY\n")]
    [InlineData("environment:\n  KEY:\n")]
    [InlineData("environment:\n  OTHER: x-${KEY:-d}\n")]
    [InlineData("command: [\"echo\", \"$KEY\"]\n")]
    public void A_key_is_consumed_when_named_without_a_value_in_environment_or_interpolated_anywhere(string yaml)
    {
        var keys = ServiceConfig.ConsumedKeys(Service("image: x\n" + yaml), new Dictionary<string, string> { ["KEY"] = "v", ["NOT_USED"] = "w" });

        Assert.Equal(["KEY"], keys);
    }

    [Theory]
    [InlineData("environment:\n  - KEY=literal\n")]
    [InlineData("environment:\n  KEY: literal\n")]
    [InlineData("command: [\"echo\", \"$$KEY\"]\n")]
    public void A_key_set_literally_or_escaped_is_not_consumed(string yaml)
    {
        Assert.Empty(ServiceConfig.ConsumedKeys(Service("image: x\n" + yaml), new Dictionary<string, string> { ["KEY"] = "v" }));
    }

    [Fact]
    public void Bound_folders_env_files_and_long_syntax_binds_are_followed_but_volumes_and_paths_outside_D_are_not()
    {
        var service = Service("""
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
