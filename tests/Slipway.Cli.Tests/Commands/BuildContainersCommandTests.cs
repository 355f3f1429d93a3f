using System.Text.Json;

namespace Slipway.Cli.Tests.Commands;

public sealed class BuildContainersCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();
    private readonly string _tokenVariable = "SLIPWAY_TEST_TOKEN_" + Guid.NewGuid().ToString("N");
    private const string Token = "cli-test-registry-token-value";

    public BuildContainersCommandTests()
    {
        _cli.Workspace.WriteFile("stack/stack.yml", "name: shop\ncontainers:\n  - shop/web\npods:\n  - web\n");
        _cli.Workspace.WriteFile("stack/compose/docker-compose-web.yml", "services:\n  web:\n    image: shop/web:local\n");
        _cli.Workspace.WriteFile("stack/container-build/shop-web/Dockerfile", "FROM scratch\n");
        // Not a git work tree: the tag is a content hash.
        _cli.Runner.On("git").Returns(128, stderr: "fatal: not a git repository\n");
        // An image that exists answers with its ID and the tag asked for first (the immutable one).
        _cli.Runner.On("docker", "image", "inspect").Responds(spec => new(spec.Display(), _imageExists ? 0 : 1, _imageExists ? $"sha256:abc {spec.Arguments[4]}\n" : "", "", TimeSpan.Zero));
    }

    private bool _imageExists;

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_tokenVariable, null);
        _cli.Dispose();
    }

    private void WriteSpec(string credentials) =>
        _cli.Workspace.WriteFile("spec.yml", $"stack: ./stack\nimage-registry: 127.0.0.1:5999/team\n{credentials}");

    private string Credentials => $"registry-credentials:\n  server: 127.0.0.1:5999\n  username: bot\n  token-env: {_tokenVariable}\n";

    [Fact]
    public async Task Json_output_maps_each_compose_image_to_its_immutable_reference()
    {
        var run = await _cli.RunAsync("--stack", "stack", "build-containers", "--build-arg", "A=1", "--output", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        var image = Assert.Single(json.RootElement.EnumerateArray());
        var revision = image.GetProperty("revision").GetString()!;
        Assert.Matches("^content-[0-9a-f]{12}$", revision);
        Assert.Equal("shop/web:local", image.GetProperty("stackImage").GetString());
        Assert.Equal($"shop/web:{revision}", image.GetProperty("reference").GetString());
        Assert.Contains($"tag {revision}: content hash", run.Err);
        Assert.Contains($"built shop/web:local as shop/web:{revision}", run.Err);
        Assert.Contains(_cli.Runner.Calls, c => c.Arguments.SequenceEqual(["build", "--tag", $"shop/web:{revision}", "--build-arg", "A=1", _cli.Path("stack", "container-build", "shop-web")]));
    }

    [Fact]
    public async Task Warnings_of_the_stack_are_shown_before_the_build_so_a_failed_build_does_not_hide_them()
    {
        _cli.Workspace.WriteFile("spec.yml", "stack: ./stack\nreplicas: 2\n");
        _cli.Runner.On("docker", "build").Returns(1, stderr: "build broke\n");

        var run = await _cli.RunAsync("build-containers", "--spec-file", "spec.yml");

        Assert.NotEqual(0, run.ExitCode);
        var warning = run.Err.IndexOf("'replicas' applies to Kubernetes deployments only", StringComparison.Ordinal);
        Assert.True(warning >= 0, run.ToString());
        Assert.True(warning < run.Err.IndexOf("error", StringComparison.Ordinal), run.ToString());
    }

    [Fact]
    public async Task An_image_whose_tag_exists_is_reported_as_reused_not_rebuilt()
    {
        _imageExists = true;

        var run = await _cli.RunAsync("--stack", "stack", "build-containers");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"built shop/web:local as shop/web:content-[0-9a-f]{12} \(existing image reused\)", run.Err);
        Assert.DoesNotContain(_cli.Runner.Calls, c => c.Arguments.FirstOrDefault() == "build");
    }

    [Fact]
    public async Task Push_without_a_registry_is_invalid_input_before_anything_is_built()
    {
        var run = await _cli.RunAsync("--stack", "stack", "build-containers", "--push");

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("--push needs a registry", run.Err);
        Assert.DoesNotContain(_cli.Runner.Calls, c => c.FileName == "docker");
    }

    [Fact]
    public async Task Push_with_an_unset_token_variable_is_a_missing_prerequisite_before_anything_is_built()
    {
        WriteSpec(Credentials);

        var run = await _cli.RunAsync("build-containers", "--spec-file", "spec.yml", "--push");

        Assert.Equal(ExitCodes.PrerequisiteMissing, run.ExitCode);
        Assert.Contains($"environment variable {_tokenVariable} is not set", run.Err);
        Assert.Contains($"hint: export {_tokenVariable}", run.Err);
        Assert.Empty(_cli.Runner.Calls);
    }

    [Fact]
    public async Task Push_from_the_spec_logs_in_with_the_token_on_stdin_and_never_shows_it_even_with_debug()
    {
        WriteSpec(Credentials);
        Environment.SetEnvironmentVariable(_tokenVariable, Token);
        _cli.Runner.On("docker", "login").Returns(0, $"echo {Token}\nLogin Succeeded\n");

        var run = await _cli.RunAsync("--debug", "build-containers", "--spec-file", "spec.yml", "--push", "--output", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var login = _cli.Runner.Calls.Single(c => c.Arguments.FirstOrDefault() == "login");
        Assert.Equal(["login", "--username", "bot", "--password-stdin", "127.0.0.1:5999"], login.Arguments);
        var calls = _cli.Runner.Calls.ToList();
        Assert.True(calls.IndexOf(login) < calls.FindIndex(c => c.Arguments.FirstOrDefault() == "build"), "a refused token must fail before the builds: login comes first");
        Assert.Equal(Token, login.StandardInput);
        Assert.DoesNotContain(Token, run.Out + run.Err);
        using var json = JsonDocument.Parse(run.Out);
        Assert.StartsWith("127.0.0.1:5999/team/shop/web:content-", Assert.Single(json.RootElement.EnumerateArray()).GetProperty("reference").GetString());
        Assert.Contains(_cli.Runner.Calls, c => c.Arguments.Count == 2 && c.Arguments[0] == "push" && c.Arguments[1].StartsWith("127.0.0.1:5999/team/shop/web:content-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_spec_with_both_token_env_and_token_file_is_refused_with_its_location()
    {
        WriteSpec(Credentials + "  token-file: ./token\n");

        var run = await _cli.RunAsync("build-containers", "--spec-file", "spec.yml", "--push");

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("spec.yml:7:3: error", run.Err);
        Assert.Contains("has both 'token-env' and 'token-file'", run.Err);
        Assert.Empty(_cli.Runner.Calls);
    }
}
