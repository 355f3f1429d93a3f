using System.Text;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Rendering;
using Slipway.Core.Specs;
using Slipway.Infrastructure.Files;
using Slipway.TestKit;

namespace Slipway.Core.Tests.Deployments;

public sealed class DeploymentRendererTests : IDisposable
{
    private const string D = "/deployments/d1";

    private const string RealisticSpec = """
        stack: ./data/stacks/test
        deploy-to: compose
        config:
          CERC_TEST_PARAM_1: PASSED
          DB_PASSWORD: $generate:hex:8$
          API_KEY: key-$generate:base64:6$
          OVERRIDDEN: from-spec
          EMPTY:
        env-files: [host.env]
        network:
          ports:
            test: ["127.0.0.1:8080:80", "${CERC_TEST_PORT:-9090}:9090"]
        image-overrides:
          test: cerc/test-container:v2
          setup: cerc/test-container:v2
        volumes:
          test-data-bind: ./data/test-data-bind
          test-data-auto:
          test-config: ./data/test-config

        """;

    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private static byte[] Counting(int n) => Enumerable.Range(0, n).Select(i => (byte)(0xa0 + i)).ToArray();

    private RenderInputs Inputs(string specText, bool withDns = true)
    {
        var diagnostics = new DiagnosticBag();
        var spec = SpecParser.Parse(specText, "/ops/spec.yml", diagnostics);
        Assert.DoesNotContain(diagnostics.Items, d => d.IsError);
        var bundle = TestStack.Load(_workspace, withDns);
        return new RenderInputs
        {
            Spec = spec,
            SpecBytes = Encoding.UTF8.GetBytes(specText),
            Bundle = bundle,
            StackBytes = File.ReadAllBytes(bundle.Stack.Definition.FilePath),
            DeploymentDirectory = D,
            Random = Counting,
            HostFiles = new DiskHostFiles(),
        };
    }

    private RenderInputs Realistic() => Inputs(RealisticSpec) with
    {
        EnvFileEntries = [new("OVERRIDDEN", "from-env-file"), new("HOST_ONLY", "h")],
    };

    private static string Text(RenderedDeployment rendered, string path) =>
        Encoding.UTF8.GetString(Assert.Single(rendered.Files, f => f.RelativePath == path).Content);

    private static string Minimal(string lines = "") => "stack: ./data/stacks/test\n" + lines + "\n";

    [Theory]
    [InlineData("compose/docker-compose-test.yml")]
    [InlineData("compose/docker-compose-dns.yml")]
    [InlineData("compose-jobs/docker-compose-setup.yml")]
    [InlineData("config.env")]
    public void Realistic_test_stack_renders_as_the_golden_file(string path)
    {
        var rendered = DeploymentRenderer.Render(Realistic());

        Golden.AssertMatches(Text(rendered, path), Path.Combine("DeploymentRenderer", "test-stack", path));
    }

    [Fact]
    public void Rendered_files_are_listed_with_their_secret_and_executable_flags()
    {
        var rendered = DeploymentRenderer.Render(Realistic());

        var listing = string.Join("\n", rendered.Files.Select(f => $"{f.RelativePath}{(f.Secret ? " secret" : "")}{(f.Executable ? " executable" : "")}")) + "\n";
        Golden.AssertMatches(listing, "DeploymentRenderer/test-stack/files.txt");
    }

    [Fact]
    public void Spec_and_stack_are_copied_byte_for_byte()
    {
        var inputs = Realistic();

        var rendered = DeploymentRenderer.Render(inputs);

        Assert.Equal(inputs.SpecBytes, rendered.Files.Single(f => f.RelativePath == "spec.yml").Content);
        Assert.Equal(inputs.StackBytes, rendered.Files.Single(f => f.RelativePath == "stack.yml").Content);
    }

    [Fact]
    public void Copied_config_files_keep_their_content()
    {
        var rendered = DeploymentRenderer.Render(Realistic());

        Assert.Equal("ANSWER=42\n", Text(rendered, "config/test/settings.env"));
        Assert.StartsWith("#!/usr/bin/env bash", Text(rendered, "config/test/script.sh"), StringComparison.Ordinal);
        Assert.DoesNotContain(rendered.Files, f => f.RelativePath.StartsWith("config/unused/", StringComparison.Ordinal));
    }

    [Fact]
    public void Host_path_volumes_are_placed_under_D_and_engine_volumes_are_left_alone()
    {
        var rendered = DeploymentRenderer.Render(Realistic());

        Assert.Equal(
            [("test-data-bind", $"{D}/data/test-data-bind"), ("test-data-auto", null), ("test-config", $"{D}/data/test-config")],
            rendered.Volumes.Select(v => (v.Name, v.HostPath)));
        Assert.Equal([$"{D}/data/test-data-bind", $"{D}/data/test-config"], rendered.Directories);
    }

    [Fact]
    public void A_host_path_volume_named_like_a_config_folder_is_seeded_from_it()
    {
        var rendered = DeploymentRenderer.Render(Realistic());

        var seed = Assert.Single(rendered.Seeds);
        Assert.Equal("test-config", seed.Volume);
        Assert.Equal(_workspace.Combine("data", "config", "test-config"), seed.SourceDirectory);
        Assert.Equal($"{D}/data/test-config", seed.TargetDirectory);
        Assert.True(rendered.Volumes.Single(v => v.Name == "test-config").Seeded);
        Assert.False(rendered.Volumes.Single(v => v.Name == "test-data-bind").Seeded);
    }

    [Fact]
    public void An_engine_managed_volume_named_like_a_config_folder_is_not_seeded()
    {
        var rendered = DeploymentRenderer.Render(Inputs(Minimal("volumes:\n  test-config:")));

        Assert.Empty(rendered.Seeds);
        Assert.DoesNotContain("driver_opts", Text(rendered, "compose/docker-compose-test.yml"), StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_secrets_are_fresh_without_a_previous_config()
    {
        var rendered = DeploymentRenderer.Render(Realistic());

        var config = DotEnvValues(Text(rendered, "config.env"));
        Assert.Equal("a0a1a2a3a4a5a6a7", config["DB_PASSWORD"]);
        Assert.Equal("key-oKGio6Sl", config["API_KEY"]);
        Assert.Contains("a0a1a2a3a4a5a6a7", rendered.Secrets);
        Assert.Contains("key-oKGio6Sl", rendered.Secrets);
    }

    [Fact]
    public void Generated_secrets_keep_their_previous_values_on_update()
    {
        var inputs = Realistic() with
        {
            PreviousConfig = new Dictionary<string, string> { ["DB_PASSWORD"] = "kept-password", ["API_KEY"] = "key-$generate:base64:6$" },
        };

        var config = DotEnvValues(Text(DeploymentRenderer.Render(inputs), "config.env"));

        Assert.Equal("kept-password", config["DB_PASSWORD"]);
        Assert.Equal("key-oKGio6Sl", config["API_KEY"]);
    }

    [Fact]
    public void Previous_values_of_plain_config_are_not_kept()
    {
        var inputs = Realistic() with { PreviousConfig = new Dictionary<string, string> { ["CERC_TEST_PARAM_1"] = "OLD" } };

        Assert.Equal("PASSED", DotEnvValues(Text(DeploymentRenderer.Render(inputs), "config.env"))["CERC_TEST_PARAM_1"]);
    }

    [Fact]
    public void Env_file_entries_override_config_and_are_secrets()
    {
        var rendered = DeploymentRenderer.Render(Realistic());

        var config = DotEnvValues(Text(rendered, "config.env"));
        Assert.Equal("from-env-file", config["OVERRIDDEN"]);
        Assert.Equal("h", config["HOST_ONLY"]);
        Assert.Contains("from-env-file", rendered.Secrets);
        Assert.DoesNotContain("from-spec", rendered.Secrets);
        Assert.True(rendered.Files.Single(f => f.RelativePath == "config.env").Secret);
    }

    [Fact]
    public void Without_spec_ports_or_overrides_compose_ports_and_images_are_kept()
    {
        var rendered = DeploymentRenderer.Render(Inputs(Minimal()));

        var compose = Text(rendered, "compose/docker-compose-test.yml");
        Assert.Contains("- \"80\"", compose, StringComparison.Ordinal);
        Assert.Contains("image: cerc/test-container:local", compose, StringComparison.Ordinal);
        Assert.Empty(rendered.Warnings);
    }

    [Fact]
    public void Network_ports_naming_an_unknown_service_is_an_error_with_a_suggestion()
    {
        var error = Assert.Throws<InvalidInputException>(() => DeploymentRenderer.Render(Inputs(Minimal("network:\n  ports:\n    tset: [\"80\"]"))));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal(DiagnosticCodes.UnknownReference, diagnostic.Code);
        Assert.Equal("network.ports names service 'tset', which no pod of the stack defines", diagnostic.Message);
        Assert.Equal("did you mean 'test'?", diagnostic.Hint);
        Assert.Equal(new SourceLocation("/ops/spec.yml", 4, 5), diagnostic.Location);
    }

    [Fact]
    public void Network_ports_for_a_job_service_is_an_error()
    {
        var error = Assert.Throws<InvalidInputException>(() => DeploymentRenderer.Render(Inputs(Minimal("network:\n  ports:\n    setup: [\"80\"]"))));

        Assert.Equal(DiagnosticCodes.UnknownReference, Assert.Single(error.Diagnostics).Code);
    }

    [Fact]
    public void Invalid_spec_port_is_an_error_at_its_line()
    {
        var error = Assert.Throws<InvalidInputException>(() => DeploymentRenderer.Render(Inputs(Minimal("network:\n  ports:\n    test: [\"99999:80\"]"))));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal(DiagnosticCodes.InvalidPort, diagnostic.Code);
        Assert.Equal(new SourceLocation("/ops/spec.yml", 4, 12), diagnostic.Location);
    }

    [Fact]
    public void Image_override_for_an_unknown_service_is_an_error()
    {
        var error = Assert.Throws<InvalidInputException>(() => DeploymentRenderer.Render(Inputs(Minimal("image-overrides:\n  tests: x:1"))));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal(DiagnosticCodes.UnknownReference, diagnostic.Code);
        Assert.Equal("did you mean 'test'?", diagnostic.Hint);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("data/../../x")]
    [InlineData(".")]
    [InlineData("./")]
    public void Relative_volume_path_that_leaves_D_is_an_error(string path)
    {
        var error = Assert.Throws<InvalidInputException>(() => DeploymentRenderer.Render(Inputs(Minimal($"volumes:\n  test-data-bind: \"{path}\""))));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal(DiagnosticCodes.PathEscapes, diagnostic.Code);
        Assert.Equal($"volume 'test-data-bind' path '{path}' leaves the deployment directory", diagnostic.Message);
    }

    [Fact]
    public void Absolute_volume_path_that_does_not_exist_is_a_warning()
    {
        var rendered = DeploymentRenderer.Render(Inputs(Minimal("volumes:\n  test-data-bind: /nonexistent-slipway-test/bind")));

        var warning = Assert.Single(rendered.Warnings);
        Assert.Equal(DiagnosticCodes.NotFound, warning.Code);
        Assert.Contains("/nonexistent-slipway-test/bind does not exist yet", warning.Message, StringComparison.Ordinal);
        Assert.Empty(rendered.Directories);
        Assert.Contains("device: \"/nonexistent-slipway-test/bind\"", Text(rendered, "compose/docker-compose-test.yml"), StringComparison.Ordinal);
    }

    [Fact]
    public void Absolute_volume_path_that_exists_is_silent()
    {
        var rendered = DeploymentRenderer.Render(Inputs(Minimal($"volumes:\n  test-data-bind: {_workspace.Path}")));

        Assert.Empty(rendered.Warnings);
    }

    [Fact]
    public void Spec_volume_that_no_compose_file_declares_is_a_warning_with_a_suggestion()
    {
        var rendered = DeploymentRenderer.Render(Inputs(Minimal("volumes:\n  test-data-bnd: ./data/x")));

        var warning = Assert.Single(rendered.Warnings);
        Assert.Equal(DiagnosticCodes.UnknownReference, warning.Code);
        Assert.Equal("did you mean 'test-data-bind'?", warning.Hint);
        Assert.DoesNotContain(rendered.Volumes, v => v.Name == "test-data-bnd");
    }

    [Fact]
    public void Job_volumes_are_placed_like_pod_volumes()
    {
        var rendered = DeploymentRenderer.Render(Inputs(Minimal("volumes:\n  test-data-bind: ./data/shared")));

        Assert.Contains($"device: \"{D}/data/shared\"", Text(rendered, "compose-jobs/docker-compose-setup.yml"), StringComparison.Ordinal);
    }

    [Fact]
    public void No_service_reads_the_whole_config_env()
    {
        var rendered = DeploymentRenderer.Render(Inputs(Minimal(), withDns: false));

        Assert.DoesNotContain("config.env", Text(rendered, "compose/docker-compose-test.yml"), StringComparison.Ordinal);
        Assert.DoesNotContain("config.env", Text(rendered, "compose-jobs/docker-compose-setup.yml"), StringComparison.Ordinal);
    }

    [Fact]
    public void Rendering_twice_from_the_same_inputs_gives_the_same_files()
    {
        var inputs = Realistic();

        var first = DeploymentRenderer.Render(inputs);
        var second = DeploymentRenderer.Render(inputs);

        Assert.Equal(first.Files.Select(f => (f.RelativePath, Encoding.UTF8.GetString(f.Content))), second.Files.Select(f => (f.RelativePath, Encoding.UTF8.GetString(f.Content))));
    }

    [Theory]
    [InlineData("data/x", true)]
    [InlineData("data", true)]
    [InlineData("/deployments/d1/data", true)]
    [InlineData("/deployments/d1", true)]
    [InlineData("/deployments/d10", false)]
    [InlineData("/deployments", false)]
    public void Is_inside_compares_whole_path_segments(string path, bool expected)
    {
        Assert.Equal(expected, HostPaths.IsInside(D, Path.IsPathRooted(path) ? path : Path.Combine(D, path)));
    }

    [Theory]
    [InlineData("./data/v", "/deployments/d1/data/v")]
    [InlineData("data/v/", "/deployments/d1/data/v")]
    [InlineData("/srv/v", "/srv/v")]
    [InlineData("/srv/../srv/v", "/srv/v")]
    [InlineData("/srv/v/", "/srv/v")]
    [InlineData("./data/../", null)]
    [InlineData("../d1/data/v", "/deployments/d1/data/v")]
    [InlineData("../d10/v", null)]
    [InlineData("..", null)]
    public void Volume_paths_resolve_against_D(string path, string? expected)
    {
        Assert.Equal(expected, HostPaths.ResolveVolumePath(path, D));
    }

    private static Dictionary<string, string> DotEnvValues(string text) =>
        text.Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1].Trim('\''));
}
