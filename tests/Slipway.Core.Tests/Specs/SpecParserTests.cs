using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;

namespace Slipway.Core.Tests.Specs;

public sealed class SpecParserTests
{
    /// <summary>A minimal valid value for every key SpecParser knows, as YAML lines.</summary>
    private static readonly Dictionary<string, string> MinimalValues = new(StringComparer.Ordinal)
    {
        ["stack"] = "stack: ./stacks/test",
        ["deploy-to"] = "deploy-to: k8s",
        ["config"] = "config:\n  A: b",
        ["network"] = "network:\n  ports:\n    web: [\"80\"]\n  http-proxy:\n    - host-name: example.org\n  acme-email: ops@example.org",
        ["volumes"] = "volumes:\n  data:",
        ["credentials-files"] = "credentials-files: [creds.env]",
        ["env-files"] = "env-files: [host.env]",
        ["image-overrides"] = "image-overrides:\n  web: nginx:1.27",
        ["kube-config"] = "kube-config: ~/.kube/config",
        ["namespace"] = "namespace: test",
        ["configmaps"] = "configmaps:\n  test-config: ./configmaps/test-config",
        ["secrets"] = "secrets: {}",
        ["resources"] = "resources:\n  containers:\n    limits:\n      cpus: '1'",
        ["security"] = "security:\n  privileged: true",
        ["annotations"] = "annotations:\n  a: b",
        ["labels"] = "labels:\n  a: b",
        ["replicas"] = "replicas: 2",
        ["node-affinities"] = "node-affinities:\n  - label: nodetype\n    value: big",
        ["node-tolerations"] = "node-tolerations:\n  - key: nodetype\n    value: big",
        ["kind-cluster-name"] = "kind-cluster-name: shared",
        ["kind-mount-root"] = "kind-mount-root: /srv/kind",
        ["caddy-ingress-image"] = "caddy-ingress-image: caddy:2",
        ["maintenance-service"] = "maintenance-service: maint:80",
        ["external-services"] = "external-services:\n  db:\n    host: db.example.org",
        ["ca-certificates"] = "ca-certificates: [ca.pem]",
        ["image-pull-policy"] = "image-pull-policy: Always",
        ["registry-credentials"] = "registry-credentials:\n  server: ghcr.io\n  token-env: GHCR_TOKEN",
        ["image-pull-secret"] = "image-pull-secret:\n  server: ghcr.io\n  token-file: ~/.ghcr",
        ["image-registry"] = "image-registry: registry.example.org",
        ["verify"] = "verify:\n  - service: web\n    http: /health",
        ["rollout"] = "rollout:\n  strategy: start-first\n  auto-rollback: true\n  history-limit: 10",
        ["hooks"] = "hooks: {}",
    };

    /// <summary>Keys that only mean something on Kubernetes targets (the laconic-so k8s keys).</summary>
    public static TheoryData<string> KubernetesOnlyKeys() => new(
        "kube-config", "namespace", "configmaps", "secrets", "resources", "security", "annotations", "labels", "replicas",
        "node-affinities", "node-tolerations", "kind-cluster-name", "kind-mount-root", "caddy-ingress-image",
        "maintenance-service", "external-services", "ca-certificates", "image-pull-policy");

    public static TheoryData<string> RegistryKeys() => new(
        "registry-credentials", "image-pull-secret", "image-registry", "verify", "rollout", "hooks");

    public static TheoryData<string> AllKnownKeys() => new(SpecParser.KnownKeys);

    private static (Spec Spec, DiagnosticBag Diagnostics) Parse(string text)
    {
        var diagnostics = new DiagnosticBag();
        return (SpecParser.Parse(text, "spec.yml", diagnostics), diagnostics);
    }

    private static string WithStack(string lines) => "stack: ./stacks/test\n" + lines + "\n";

    [Fact]
    public void The_table_of_minimal_values_covers_every_known_key()
    {
        Assert.Equal(SpecParser.KnownKeys.Order(StringComparer.Ordinal), MinimalValues.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(AllKnownKeys))]
    public void Every_known_key_with_a_minimal_value_parses_without_errors_on_k8s(string key)
    {
        var text = key == "stack" ? MinimalValues[key] + "\ndeploy-to: k8s\n"
            : key == "deploy-to" ? WithStack(MinimalValues[key])
            : WithStack("deploy-to: k8s\n" + MinimalValues[key]);

        var (_, diagnostics) = Parse(text);

        Assert.DoesNotContain(diagnostics.Items, d => d.IsError);
    }

    [Fact]
    public void Every_known_key_together_gives_no_errors()
    {
        var text = string.Join("\n", MinimalValues.Where(kv => kv.Key != "image-pull-secret").Select(kv => kv.Value)) + "\n";

        var (_, diagnostics) = Parse(text);

        Assert.DoesNotContain(diagnostics.Items, d => d.IsError);
    }

    [Theory]
    [MemberData(nameof(KubernetesOnlyKeys))]
    public void Kubernetes_only_keys_warn_on_compose(string key)
    {
        var (_, diagnostics) = Parse(WithStack(MinimalValues[key]));

        var warning = Assert.Single(diagnostics.Items);
        Assert.False(warning.IsError);
        Assert.Equal(DiagnosticCodes.NotApplicable, warning.Code);
        Assert.Equal($"'{key}' applies to Kubernetes deployments only; compose ignores it", warning.Message);
        Assert.Equal(new SourceLocation("spec.yml", 2, 1), warning.Location);
    }

    [Theory]
    [MemberData(nameof(KubernetesOnlyKeys))]
    public void Kubernetes_only_keys_are_silent_on_kind_except_the_caddy_image_without_an_ingress(string key)
    {
        var (_, diagnostics) = Parse(WithStack("deploy-to: k8s-kind\n" + MinimalValues[key]));

        if (key == "caddy-ingress-image")
        {
            var warning = Assert.Single(diagnostics.Items);
            Assert.Equal(DiagnosticCodes.NotApplicable, warning.Code);
            Assert.Equal("'caddy-ingress-image' has no effect without network.http-proxy: Slipway installs the Caddy ingress controller only for a deployment with an Ingress", warning.Message);
        }
        else
        {
            Assert.Empty(diagnostics.Items);
        }
    }

    [Theory]
    [MemberData(nameof(RegistryKeys))]
    public void Registry_and_pipeline_keys_are_implemented_and_parse_without_warnings(string key)
    {
        var (_, diagnostics) = Parse(WithStack(MinimalValues[key]));

        Assert.Empty(diagnostics.Items);
    }

    [Theory]
    [InlineData("http-proxy", "network:\n  http-proxy: []")]
    [InlineData("acme-email", "network:\n  acme-email: a@b.c")]
    public void Network_ingress_keys_warn_on_compose(string key, string lines)
    {
        var (_, diagnostics) = Parse(WithStack(lines));

        var warning = Assert.Single(diagnostics.Items);
        Assert.Equal(DiagnosticCodes.NotApplicable, warning.Code);
        Assert.Contains($"'network.{key}'", warning.Message);
    }

    [Fact]
    public void Implemented_keys_are_read_silently_on_compose()
    {
        var (spec, diagnostics) = Parse("""
            stack: ./stacks/test
            deploy-to: compose
            env-files: host.env
            credentials-files: [creds.env, more.env]
            image-overrides:
              test: cerc/test:v2
            network:
              ports:
                test: ["8080:80", "127.0.0.1:9090:90/udp"]
            """);

        Assert.Empty(diagnostics.Items);
        Assert.Equal("./stacks/test", spec.Stack!.Value);
        Assert.Equal(new SourceLocation("spec.yml", 1, 8), spec.Stack.Location);
        Assert.Equal(DeployTarget.Compose, spec.DeployTo);
        Assert.Equal(["host.env"], spec.EnvFiles.Select(e => e.Value));
        Assert.Equal(["creds.env", "more.env"], spec.CredentialsFiles.Select(e => e.Value));
        Assert.Equal("cerc/test:v2", spec.ImageOverrides["test"].Value);
        var ports = Assert.Single(spec.Ports);
        Assert.Equal("test", ports.Service);
        Assert.Equal(["8080:80", "127.0.0.1:9090:90/udp"], ports.Ports.Select(p => p.Value));
    }

    [Theory]
    [InlineData("", DeployTarget.Compose)]
    [InlineData("deploy-to: compose\n", DeployTarget.Compose)]
    [InlineData("deploy-to: k8s\n", DeployTarget.K8s)]
    [InlineData("deploy-to: k8s-kind\n", DeployTarget.K8sKind)]
    public void Deploy_to_defaults_to_compose(string line, DeployTarget expected)
    {
        Assert.Equal(expected, Parse(WithStack(line)).Spec.DeployTo);
    }

    [Theory]
    [InlineData("PORT: 8080", "8080")]
    [InlineData("RATIO: 1.50", "1.50")]
    [InlineData("DEBUG: true", "true")]
    [InlineData("ENABLED: yes", "yes")]
    [InlineData("OCTAL: 0755", "0755")]
    [InlineData("EMPTY:", "")]
    [InlineData("TILDE: ~", "")]
    [InlineData("QUOTED_EMPTY: \"\"", "")]
    [InlineData("QUOTED_NULL: \"null\"", "null")]
    [InlineData("SPACES: \"  padded  \"", "  padded  ")]
    [InlineData("SECRET: $generate:hex:16$", "$generate:hex:16$")]
    public void Config_values_are_kept_as_the_text_written(string line, string expected)
    {
        var (spec, diagnostics) = Parse(WithStack("config:\n  " + line));

        Assert.Empty(diagnostics.Items);
        Assert.Equal(expected, Assert.Single(spec.Config).Value);
    }

    [Fact]
    public void Config_keeps_file_order_and_key_locations()
    {
        var (spec, _) = Parse(WithStack("config:\n  B: 1\n  A: 2"));

        Assert.Equal(["B", "A"], spec.Config.Select(c => c.Key));
        Assert.Equal(new SourceLocation("spec.yml", 4, 3), spec.Config[1].Location);
    }

    [Theory]
    [InlineData("config:\n  DB:\n    host: x", DiagnosticCodes.WrongType)]
    [InlineData("config:\n  HOSTS: [a, b]", DiagnosticCodes.WrongType)]
    [InlineData("config:\n  \"my key\": x", DiagnosticCodes.InvalidName)]
    [InlineData("config:\n  2FA: x", DiagnosticCodes.InvalidName)]
    [InlineData("config:\n  S: $generate:hex:2000$", DiagnosticCodes.InvalidValue)]
    [InlineData("config:\n  S: $generate:octal:8$", DiagnosticCodes.InvalidValue)]
    [InlineData("config: [A=b]", DiagnosticCodes.WrongType)]
    public void Bad_config_is_an_error(string lines, string code)
    {
        var (_, diagnostics) = Parse(WithStack(lines));

        Assert.Equal(code, Assert.Single(diagnostics.Items, d => d.IsError).Code);
    }

    [Fact]
    public void A_config_key_with_a_dash_is_kept_with_a_warning_as_laconic_sos_test_stack_sets_one()
    {
        var (spec, diagnostics) = Parse(WithStack("config:\n  test-variable-1: test-value-1"));

        var warning = Assert.Single(diagnostics.Items);
        Assert.False(warning.IsError);
        Assert.Equal(DiagnosticCodes.InvalidName, warning.Code);
        Assert.Contains("compose files cannot substitute it", warning.Message);
        Assert.Equal([("test-variable-1", "test-value-1")], spec.Config.Select(c => (c.Key, c.Value)));
    }

    [Fact]
    public void Volumes_without_a_value_are_engine_managed_and_a_path_is_host_storage()
    {
        var (spec, diagnostics) = Parse(WithStack("volumes:\n  auto:\n  tilde: ~\n  empty: \"\"\n  bind: ./data/bind\n  abs: /srv/data"));

        Assert.Empty(diagnostics.Items);
        Assert.Equal(
            [("auto", null), ("tilde", null), ("empty", null), ("bind", "./data/bind"), ("abs", "/srv/data")],
            spec.Volumes.Select(v => (v.Name, v.Path)));
        Assert.False(spec.Volumes[0].IsHostPath);
        Assert.True(spec.Volumes[3].IsHostPath);
    }

    [Theory]
    [InlineData("volumes:\n  \"bad name\": ./x", DiagnosticCodes.InvalidName)]
    [InlineData("volumes:\n  data: [./x]", DiagnosticCodes.WrongType)]
    [InlineData("volumes: [data]", DiagnosticCodes.WrongType)]
    public void Bad_volumes_are_errors(string lines, string code)
    {
        var (_, diagnostics) = Parse(WithStack(lines));

        Assert.Equal(code, Assert.Single(diagnostics.Items, d => d.IsError).Code);
    }

    [Theory]
    [InlineData("registry-credentials")]
    [InlineData("image-pull-secret")]
    public void Registry_credentials_are_read_under_either_name(string key)
    {
        var (spec, diagnostics) = Parse(WithStack($"{key}:\n  server: ghcr.io\n  username: bot\n  token-env: GHCR_TOKEN"));

        Assert.DoesNotContain(diagnostics.Items, d => d.IsError);
        Assert.Equal(new RegistryCredentials("ghcr.io", "bot", "GHCR_TOKEN", null, new SourceLocation("spec.yml", 3, 3)), spec.RegistryCredentials);
    }

    [Fact]
    public void Registry_credentials_from_a_token_file_need_no_token_env()
    {
        var (spec, diagnostics) = Parse(WithStack("registry-credentials:\n  server: ghcr.io\n  token-file: /run/secrets/ghcr"));

        Assert.DoesNotContain(diagnostics.Items, d => d.IsError);
        Assert.Equal("/run/secrets/ghcr", spec.RegistryCredentials!.TokenFile);
    }

    [Theory]
    [InlineData("registry-credentials:\n  server: ghcr.io\n  username: bot", DiagnosticCodes.MissingKey, "'registry-credentials' needs 'token-env'")]
    [InlineData("image-pull-secret:\n  token-env: T", DiagnosticCodes.MissingKey, "'image-pull-secret' needs 'server'")]
    [InlineData("registry-credentials:\n  server: s\n  token: abc", DiagnosticCodes.UnknownKey, "unknown key 'token'")]
    [InlineData("registry-credentials:\n  server: s\n  token-env: T\nimage-pull-secret:\n  server: s\n  token-env: T", DiagnosticCodes.Conflict, "not both")]
    public void Incomplete_or_doubled_registry_credentials_are_errors(string lines, string code, string message)
    {
        var (_, diagnostics) = Parse(WithStack(lines));

        var errors = diagnostics.Items.Where(d => d.IsError).ToList();
        Assert.Contains(errors, e => e.Code == code && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Registry_credentials_with_both_token_env_and_token_file_are_an_error_at_the_token_file_with_a_hint()
    {
        var (_, diagnostics) = Parse(WithStack("registry-credentials:\n  server: ghcr.io\n  username: bot\n  token-env: GHCR_TOKEN\n  token-file: /run/secrets/ghcr"));

        var error = Assert.Single(diagnostics.Items, d => d.IsError);
        Assert.Equal(DiagnosticCodes.Conflict, error.Code);
        Assert.Equal("'registry-credentials' has both 'token-env' and 'token-file'; give one", error.Message);
        Assert.Equal(new SourceLocation("spec.yml", 6, 3), error.Location);
        Assert.Contains("keep token-env", error.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rollout:\n  strategy: blue-green", DiagnosticCodes.InvalidValue)]
    [InlineData("rollout:\n  auto-rollback: maybe", DiagnosticCodes.WrongType)]
    [InlineData("rollout:\n  history-limit: 0", DiagnosticCodes.WrongType)]
    [InlineData("rollout:\n  stratgy: start-first", DiagnosticCodes.UnknownKey)]
    [InlineData("verify:\n  - service: web", DiagnosticCodes.MissingKey)]
    [InlineData("verify:\n  - http: /", DiagnosticCodes.MissingKey)]
    [InlineData("verify:\n  - web", DiagnosticCodes.WrongType)]
    [InlineData("image-overrides:\n  web:", DiagnosticCodes.InvalidValue)]
    [InlineData("network:\n  ports: [\"80\"]", DiagnosticCodes.WrongType)]
    [InlineData("deploy-to: kubernetes", DiagnosticCodes.InvalidValue)]
    public void Invalid_values_of_known_keys_are_errors(string lines, string code)
    {
        var (_, diagnostics) = Parse(WithStack(lines));

        Assert.Equal(code, Assert.Single(diagnostics.Items, d => d.IsError).Code);
    }

    [Fact]
    public void Unknown_key_is_reported_with_the_nearest_known_key()
    {
        var (_, diagnostics) = Parse(WithStack("replica: 2"));

        var error = Assert.Single(diagnostics.Items);
        Assert.Equal(DiagnosticCodes.UnknownKey, error.Code);
        Assert.Equal("did you mean 'replicas'?", error.Hint);
        Assert.Equal(new SourceLocation("spec.yml", 2, 1), error.Location);
    }

    [Fact]
    public void Missing_stack_is_an_error()
    {
        var (_, diagnostics) = Parse("deploy-to: compose\n");

        Assert.Equal(DiagnosticCodes.MissingKey, Assert.Single(diagnostics.Items).Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    public void Empty_spec_is_an_error(string text)
    {
        var (_, diagnostics) = Parse(text);

        Assert.Equal("spec is empty: it needs at least 'stack'", Assert.Single(diagnostics.Items).Message);
    }

    [Fact]
    public void Present_keys_lists_what_the_file_says()
    {
        var (spec, _) = Parse(WithStack("deploy-to: k8s\nnamespace: test"));

        Assert.Equal(["deploy-to", "namespace", "stack"], spec.PresentKeys.Order(StringComparer.Ordinal));
        Assert.Equal("test", spec.Namespace!.Value);
    }
}
