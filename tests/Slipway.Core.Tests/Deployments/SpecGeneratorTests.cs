using System.Text.RegularExpressions;
using Slipway.Core.Compose;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Infrastructure.Files;
using Slipway.TestKit;
using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Tests.Deployments;

public sealed class SpecGeneratorTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private string Generate(InitOptions options, string? hook = null, int seed = 7)
    {
        var bundle = TestStack.Load(_workspace);
        var hookSpec = hook is null ? null : SpecGenerator.ParseHookOutput(hook, "hooks/init", new DiagnosticBag());
        return SpecGenerator.Generate(bundle, options, hookSpec, new Random(seed));
    }

    private static InitOptions Options(DeployTarget target = DeployTarget.Compose, PortMappingMode mode = PortMappingMode.AnyVariableRandom, params (string Key, string Value)[] config) =>
        new()
        {
            StackReference = "./data/stacks/test",
            DeployTo = target,
            PortMode = mode,
            Config = config.Select(c => new KeyValuePair<string, string>(c.Key, c.Value)).ToList(),
        };

    private static Spec Reparse(string text)
    {
        var diagnostics = new DiagnosticBag();
        var spec = SpecParser.Parse(text, "spec.yml", diagnostics);
        Assert.DoesNotContain(diagnostics.Items, d => d.IsError);
        return spec;
    }

    private static IReadOnlyList<string> PortsOf(Spec spec, string service) =>
        spec.Ports.Single(p => p.Service == service).Ports.Select(p => p.Value).ToList();

    public static TheoryData<PortMappingMode, string, string, string> FixedModes() => new()
    {
        { PortMappingMode.AnyVariableRandom, "80", "53/udp", "8053:8053" },
        { PortMappingMode.LocalhostSame, "127.0.0.1:80:80", "127.0.0.1:53:53/udp", "127.0.0.1:8053:8053" },
        { PortMappingMode.AnySame, "0.0.0.0:80:80", "0.0.0.0:53:53/udp", "0.0.0.0:8053:8053" },
    };

    [Theory]
    [MemberData(nameof(FixedModes))]
    public void Fixed_port_modes_rewrite_every_service_port(PortMappingMode mode, string test, string dnsUdp, string dnsTcp)
    {
        var spec = Reparse(Generate(Options(mode: mode)));

        Assert.Equal([test], PortsOf(spec, "test"));
        Assert.Equal([dnsUdp, dnsTcp], PortsOf(spec, "dns"));
    }

    [Theory]
    [InlineData(PortMappingMode.LocalhostFixedRandom, "127.0.0.1")]
    [InlineData(PortMappingMode.AnyFixedRandom, "0.0.0.0")]
    public void Fixed_random_modes_draw_distinct_host_ports_in_range_and_keep_the_protocol(PortMappingMode mode, string hostIp)
    {
        var spec = Reparse(Generate(Options(mode: mode)));

        var all = PortsOf(spec, "test").Concat(PortsOf(spec, "dns")).ToList();
        var pattern = new Regex($@"^{Regex.Escape(hostIp)}:(\d+):(80|53/udp|8053)$");
        var hostPorts = all.Select(p =>
        {
            var match = pattern.Match(p);
            Assert.True(match.Success, $"'{p}' is not {hostIp}:P:TARGET");
            return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }).ToList();
        Assert.EndsWith(":53/udp", all[1], StringComparison.Ordinal);
        Assert.All(hostPorts, p => Assert.InRange(p, PortMapping.RandomMin, PortMapping.RandomMax));
        Assert.Equal(hostPorts.Count, hostPorts.Distinct().Count());
    }

    [Fact]
    public void The_same_seed_draws_the_same_ports_and_another_seed_others()
    {
        var options = Options(mode: PortMappingMode.AnyFixedRandom);

        Assert.Equal(Generate(options, seed: 1), Generate(options, seed: 1));
        Assert.NotEqual(Generate(options, seed: 1), Generate(options, seed: 2));
    }

    [Fact]
    public void Compose_volume_defaults_are_directories_under_data()
    {
        var spec = Reparse(Generate(Options()));

        Assert.Equal(
            [("test-data-bind", "./data/test-data-bind"), ("test-data-auto", "./data/test-data-auto"), ("test-config", "./data/test-config")],
            spec.Volumes.Select(v => (v.Name, v.Path)));
        Assert.Empty(spec.ConfigMaps);
        Assert.DoesNotContain("secrets", spec.PresentKeys);
    }

    [Theory]
    [InlineData(DeployTarget.K8s)]
    [InlineData(DeployTarget.K8sKind)]
    public void Kubernetes_defaults_are_engine_volumes_configmaps_for_read_only_config_and_empty_secrets(DeployTarget target)
    {
        var text = Generate(Options(target));
        var spec = Reparse(text);

        Assert.Equal([("test-data-bind", null), ("test-data-auto", null)], spec.Volumes.Select(v => (v.Name, v.Path)));
        Assert.Equal(["test-config"], spec.ConfigMaps.Select(c => c.Value));
        var root = (YamlMappingNode)Slipway.Core.Yaml.YamlDocuments.Load(text, "spec.yml", new DiagnosticBag())!;
        Assert.Equal("./configmaps/test-config", ((YamlScalarNode)root["configmaps"]["test-config"]).Value);
        Assert.Empty(((YamlMappingNode)root["secrets"]).Children);
        Assert.Equal(target, spec.DeployTo);
    }

    [Fact]
    public void The_host_variables_every_compose_call_gets_are_not_listed_as_config_to_set()
    {
        var text = GenerateForWeb("""
                user: "${CERC_HOST_UID}:${CERC_HOST_GID}"
                environment:
                  LEVEL: ${LOG_LEVEL:-info}
                  CERC_SCRIPT_DEBUG: ${CERC_SCRIPT_DEBUG}

            """);

        Assert.Contains("#   LOG_LEVEL: \"info\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("CERC_HOST_", text, StringComparison.Ordinal);
        Assert.DoesNotContain("CERC_SCRIPT_DEBUG", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_read_only_volume_without_config_in_its_name_stays_a_volume_on_kubernetes()
    {
        _workspace.WriteFile("data/stacks/test/stack.yml", "pods: [web]\n");
        _workspace.WriteFile("data/compose/docker-compose-web.yml", """
            services:
              web:
                image: nginx
                volumes:
                  - assets:/usr/share/nginx/html:ro
                  - settings-config:/etc/a:ro
                  - shared-config:/etc/b:ro
              worker:
                image: busybox
                volumes:
                  - shared-config:/etc/b
            volumes:
              assets:
              settings-config:
              shared-config:
              unused:

            """);
        var diagnostics = new DiagnosticBag();
        var bundle = Slipway.Core.Stacks.StackBundle.Load(Slipway.Core.Stacks.Stack.Load(_workspace.Combine("data", "stacks", "test"), new DiskHostFiles(), diagnostics), _workspace.Path, _ => null, diagnostics);

        var spec = Reparse(SpecGenerator.Generate(bundle, Options(DeployTarget.K8s), null, new Random(1)));

        Assert.Equal([("assets", null), ("shared-config", null)], spec.Volumes.Select(v => (v.Name, v.Path)));
        Assert.Equal(["settings-config"], spec.ConfigMaps.Select(c => c.Value));
    }

    [Fact]
    public void Generated_spec_has_no_trailing_blanks()
    {
        var text = Generate(Options(DeployTarget.K8s), "volumes:\n  extra:\n");

        Assert.DoesNotMatch(new Regex(@"(?m)[ \t]$"), text);
        Assert.Contains("\n  test-data-bind:\n", text, StringComparison.Ordinal);
        Assert.Contains("\n  extra:\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Later_config_wins_over_earlier_config()
    {
        var spec = Reparse(Generate(Options(config: [("A", "from-file"), ("B", "file"), ("A", "from-cli")])));

        Assert.Equal([("A", "from-cli"), ("B", "file")], spec.Config.Select(c => (c.Key, c.Value)));
    }

    [Fact]
    public void Hook_config_is_a_default_that_cli_config_overrides()
    {
        var hook = """
            config:
              test_variable_1: test-value-1
              CERC_TEST_PARAM_1: from-hook
            """;

        var spec = Reparse(Generate(Options(config: [("CERC_TEST_PARAM_1", "PASSED")]), hook));

        Assert.Equal([("test_variable_1", "test-value-1"), ("CERC_TEST_PARAM_1", "PASSED")], spec.Config.Select(c => (c.Key, c.Value)));
    }

    [Fact]
    public void Hook_volumes_win_over_defaults_and_other_hook_keys_are_added()
    {
        var hook = """
            volumes:
              test-data-bind: /srv/test
            namespace: custom
            """;

        var spec = Reparse(Generate(Options(DeployTarget.K8s), hook));

        Assert.Equal([("test-data-bind", "/srv/test"), ("test-data-auto", null)], spec.Volumes.Select(v => (v.Name, v.Path)));
        Assert.Equal("custom", spec.Namespace!.Value);
    }

    [Theory]
    [InlineData("- not\n- a mapping\n")]
    [InlineData("just text\n")]
    public void Hook_output_that_is_not_a_mapping_is_an_error(string output)
    {
        var diagnostics = new DiagnosticBag();

        Assert.Null(SpecGenerator.ParseHookOutput(output, "hooks/init", diagnostics));
        Assert.Equal(DiagnosticCodes.WrongType, Assert.Single(diagnostics.Items).Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n")]
    public void Empty_hook_output_is_nothing_to_merge(string output)
    {
        var diagnostics = new DiagnosticBag();

        Assert.Null(SpecGenerator.ParseHookOutput(output, "hooks/init", diagnostics));
        Assert.Empty(diagnostics.Items);
    }

    [Fact]
    public void What_a_commands_py_init_returned_as_json_lands_in_the_spec_as_hooks_init_output_would_with_quotes_only_where_needed()
    {
        var bundle = TestStack.Load(_workspace);
        var hook = SpecGenerator.ParseHookResult("""{"config":{"FROM_INIT":"init-value","FLAG":"true","PORT":"8080"},"replicas":2}""", "commands.py: init()", new DiagnosticBag());

        var text = SpecGenerator.Generate(bundle, Options(), hook, new Random(7));

        Assert.Contains("  FROM_INIT: init-value\n", text);
        Assert.Contains("  FLAG: \"true\"\n", text);
        Assert.Contains("  PORT: \"8080\"\n", text);
        Assert.Contains("replicas: 2\n", text);
    }

    [Fact]
    public void Kube_config_and_image_registry_are_written_when_given()
    {
        var spec = Reparse(Generate(Options(DeployTarget.K8s) with { KubeConfig = "~/.kube/config", ImageRegistry = "registry.example.org/team" }));

        Assert.Equal("~/.kube/config", spec.KubeConfig!.Value);
        Assert.Equal("registry.example.org/team", spec.ImageRegistry!.Value);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("no")]
    [InlineData("8080")]
    [InlineData("0755")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("a: b")]
    [InlineData("#not a comment")]
    [InlineData("-dash")]
    [InlineData("\"quoted\"")]
    public void Config_values_that_yaml_would_misread_survive_a_round_trip(string value)
    {
        var spec = Reparse(Generate(Options(config: [("V", value)])));

        Assert.Equal(value, Assert.Single(spec.Config).Value);
    }

    public static TheoryData<DeployTarget, PortMappingMode> AllTargetsAndModes()
    {
        var data = new TheoryData<DeployTarget, PortMappingMode>();
        foreach (var target in Enum.GetValues<DeployTarget>())
        {
            foreach (var mode in Enum.GetValues<PortMappingMode>()) data.Add(target, mode);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllTargetsAndModes))]
    public void Generated_spec_parses_without_errors(DeployTarget target, PortMappingMode mode)
    {
        var spec = Reparse(Generate(Options(target, mode, ("CERC_TEST_PARAM_1", "PASSED"), ("SECRET", "$generate:hex:16$"))));

        Assert.Equal("./data/stacks/test", spec.Stack!.Value);
        Assert.Equal(["test", "dns"], spec.Ports.Select(p => p.Service));
    }

    [Fact]
    public void Generated_spec_does_not_change_the_stack_compose_nodes()
    {
        var bundle = TestStack.Load(_workspace);
        var before = YamlDocuments_Save(bundle);

        SpecGenerator.Generate(bundle, Options(mode: PortMappingMode.AnySame), null, new Random(1));

        Assert.Equal(before, YamlDocuments_Save(bundle));
    }

    private static string YamlDocuments_Save(Slipway.Core.Stacks.StackBundle bundle) =>
        string.Join("---\n", bundle.All.Select(f => Slipway.Core.Yaml.YamlDocuments.Save(f.Compose.Root)));

    [Fact]
    public void Compose_spec_for_the_test_stack_matches_the_golden_file()
    {
        var text = Generate(Options(DeployTarget.Compose, PortMappingMode.LocalhostSame, ("CERC_TEST_PARAM_1", "PASSED"), ("DB_PASSWORD", "$generate:hex:16$")),
            "config:\n  test_variable_1: test-value-1\n");

        Golden.AssertMatches(text, "SpecGenerator/test-compose-localhost-same.spec.yml");
    }

    [Fact]
    public void Kind_spec_for_the_test_stack_matches_the_golden_file()
    {
        var text = Generate(Options(DeployTarget.K8sKind, PortMappingMode.AnyVariableRandom, ("CERC_TEST_PARAM_1", "PASSED")),
            "config:\n  test_variable_1: test-value-1\n");

        Golden.AssertMatches(text, "SpecGenerator/test-k8s-kind.spec.yml");
    }

    /// <summary>The spec of a one-service stack whose service (image nginx) has <paramref name="serviceKeys"/>, indented four spaces.</summary>
    private string GenerateForWeb(string serviceKeys, params (string Key, string Value)[] config)
    {
        _workspace.WriteFile("vars/stacks/test/stack.yml", "pods: [web]\n");
        _workspace.WriteFile("vars/compose/docker-compose-web.yml", "services:\n  web:\n    image: nginx\n" + serviceKeys);
        var diagnostics = new DiagnosticBag();
        var bundle = Slipway.Core.Stacks.StackBundle.Load(Slipway.Core.Stacks.Stack.Load(_workspace.Combine("vars", "stacks", "test"), new DiskHostFiles(), diagnostics), _workspace.Path, _ => null, diagnostics);
        return SpecGenerator.Generate(bundle, Options(config: config), null, new Random(1));
    }

    [Fact]
    public void Init_lists_the_compose_variables_the_spec_does_not_set_with_default_and_whether_required()
    {
        var text = GenerateForWeb("    environment:\n      KEY: ${API_KEY}\n      LEVEL: ${LOG_LEVEL:-FAILED}\n");

        Assert.Contains("# Config keys the stack's compose files use that this spec does not set (add them under config:)\n", text);
        Assert.Contains("#   API_KEY: \"\"  # required (docker-compose-web.yml:", text);
        Assert.Contains("#   LOG_LEVEL: \"FAILED\"  # optional, default 'FAILED' (docker-compose-web.yml:", text);
        Reparse(text);
    }

    [Fact]
    public void A_variable_the_operator_set_is_not_listed_again()
    {
        var text = GenerateForWeb("    environment:\n      KEY: ${API_KEY}\n      LEVEL: ${LOG_LEVEL:-FAILED}\n", ("LOG_LEVEL", "debug"));

        Assert.DoesNotContain("#   LOG_LEVEL", text);
        Assert.Contains("#   API_KEY", text);
    }
}
