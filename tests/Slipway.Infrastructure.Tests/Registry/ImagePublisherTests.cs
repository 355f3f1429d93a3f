using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Infrastructure.Build;
using Slipway.Infrastructure.Logging;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Registry;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Tests.Registry;

public sealed class ImagePublisherTests : IDisposable
{
    private const string Token = "s3cr3t-registry-token";
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private readonly TempWorkspace _workspace = new();
    private readonly FakeProcessRunner _runner = new() { Strict = true };

    public void Dispose() => _workspace.Dispose();

    private static readonly BuiltImage Web = new("shop/web", "shop/web:local", "shop/web:0123456789ab", TimeSpan.Zero);
    private static readonly BuiltImage Worker = new("shop/worker", "shop/worker:local", "shop/worker:0123456789ab", TimeSpan.Zero);

    private static RegistryCredentials Credentials(string? username = "bot", string? tokenEnv = "REG_TOKEN", string? tokenFile = null) =>
        new("registry.local:5000", username, tokenEnv, tokenFile, new SourceLocation("spec.yml", 4, 3));

    private PushRequest Request(RegistryCredentials? credentials = null, string? token = Token) =>
        new("registry.local:5000/team")
        {
            Credentials = credentials,
            SpecDirectory = _workspace.Path,
            GetEnvironment = name => name == "REG_TOKEN" ? token : null,
        };

    private void DockerAnswers()
    {
        _runner.On("docker", "login").Returns(0, "Login Succeeded\n");
        _runner.On("docker", "tag").Returns(0);
        _runner.On("docker", "push").Returns(0, $"0123: Pushed\n0123456789ab: digest: {Digest} size: 528\n");
    }

    private Task<IReadOnlyList<BuiltImage>> PushAsync(PushRequest request, params BuiltImage[] images) =>
        new ImagePublisher(new Docker(_runner)).PushAsync(images, request, null, CancellationToken.None);

    [Fact]
    public async Task Login_gets_the_token_on_stdin_only_then_each_image_is_tagged_and_pushed_under_the_registry()
    {
        DockerAnswers();

        var pushed = await PushAsync(Request(Credentials()), Web, Worker);

        Assert.Equal(
            [
                "docker login --username bot --password-stdin registry.local:5000",
                "docker tag shop/web:0123456789ab registry.local:5000/team/shop/web:0123456789ab",
                "docker push registry.local:5000/team/shop/web:0123456789ab",
                "docker tag shop/worker:0123456789ab registry.local:5000/team/shop/worker:0123456789ab",
                "docker push registry.local:5000/team/shop/worker:0123456789ab",
            ],
            _runner.CallLines());
        var login = _runner.Calls[0];
        Assert.Equal(Token, login.StandardInput);
        Assert.Contains(Token, login.Secrets);
        Assert.All(_runner.Calls, c => Assert.DoesNotContain(Token, c.Arguments));
        Assert.All(_runner.Calls, c => Assert.Contains(Token, c.Secrets));
        Assert.Equal(["registry.local:5000/team/shop/web:0123456789ab", "registry.local:5000/team/shop/worker:0123456789ab"], pushed.Select(p => p.Reference));
        Assert.Equal(["shop/web:local", "shop/worker:local"], pushed.Select(p => p.StackImage));
        Assert.All(pushed, p => Assert.Equal(Digest, p.Digest));
    }

    [Fact]
    public async Task The_token_reaches_no_line_of_the_run_log_even_when_docker_echoes_it()
    {
        _runner.On("docker", "login").Returns(1, stderr: $"Error response from daemon: Get \"https://registry.local:5000/v2/\": unauthorized: bad password {Token}\n");
        var logPath = _workspace.Combine("logs", "push.log");
        var ex = default(SlipwayException);
        using (var log = new FileCommandLog(logPath))
        {
            ex = await Assert.ThrowsAsync<SlipwayException>(() =>
                new ImagePublisher(new Docker(new LoggingProcessRunner(_runner, log))).PushAsync([Web], Request(Credentials()), null, CancellationToken.None));
        }

        var text = await File.ReadAllTextAsync(logPath);
        Assert.Contains("docker login --username bot --password-stdin registry.local:5000", text);
        Assert.Contains("[REDACTED]", text);
        Assert.DoesNotContain(Token, text);
        Assert.DoesNotContain(Token, ex.Message);
        Assert.Equal(FailureReason.PrerequisiteMissing, ex.Reason);
        Assert.Equal("check the username and the token in $REG_TOKEN, and that registry.local:5000 answers", ex.Hint);
    }

    [Fact]
    public async Task The_token_can_come_from_a_file_beside_the_spec()
    {
        _workspace.WriteFile("secrets/registry-token", Token + "\n");
        DockerAnswers();

        await PushAsync(Request(Credentials(tokenEnv: null, tokenFile: "secrets/registry-token")), Web);

        Assert.Equal(Token, _runner.Calls[0].StandardInput);
    }

    [Fact]
    public async Task Without_credentials_there_is_no_login()
    {
        DockerAnswers();

        await PushAsync(Request(), Web);

        Assert.DoesNotContain(_runner.Calls, c => c.Arguments[0] == "login");
    }

    [Fact]
    public async Task A_missing_token_is_a_missing_prerequisite_naming_the_variable_and_nothing_runs()
    {
        var ex = await Assert.ThrowsAsync<SlipwayException>(() => PushAsync(Request(Credentials(), token: null), Web));

        Assert.Equal(FailureReason.PrerequisiteMissing, ex.Reason);
        Assert.Contains("environment variable REG_TOKEN is not set", ex.Message);
        Assert.Equal("export REG_TOKEN with the registry token before pushing", ex.Hint);
        Assert.Empty(_runner.Calls);
    }

    [Fact]
    public async Task Credentials_without_a_username_cannot_log_in()
    {
        var ex = await Assert.ThrowsAsync<SlipwayException>(() => PushAsync(Request(Credentials(username: null)), Web));

        Assert.Equal(FailureReason.InvalidInput, ex.Reason);
        Assert.Contains("spec.yml:4:3", ex.Message);
        Assert.Empty(_runner.Calls);
    }

    [Fact]
    public async Task A_refused_push_names_the_reference_and_suggests_credentials_when_the_registry_wants_a_login()
    {
        _runner.On("docker", "tag").Returns(0);
        _runner.On("docker", "push").Returns(1, stderr: "no basic auth credentials\n");

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => PushAsync(Request(), Web, Worker));

        Assert.Equal(FailureReason.DeploymentFailed, ex.Reason);
        Assert.Contains("pushing registry.local:5000/team/shop/web:0123456789ab failed (exit code 1)", ex.Message);
        Assert.Contains("registry-credentials", ex.Hint);
        Assert.Equal(2, _runner.Calls.Count); // the second image is not tried
    }

    [Theory]
    [InlineData("registry.local:5000", "shop/web:abc", "registry.local:5000/shop/web:abc")]
    [InlineData("registry.local:5000/team/", "shop/web:abc", "registry.local:5000/team/shop/web:abc")]
    [InlineData("ghcr.io/acme", "old.registry.org/shop/web:abc", "ghcr.io/acme/shop/web:abc")]
    [InlineData("ghcr.io/acme", "localhost/web:abc", "ghcr.io/acme/web:abc")]
    [InlineData("ghcr.io/acme", "web:abc", "ghcr.io/acme/web:abc")]
    public void The_remote_reference_is_the_registry_then_the_image_name_and_tag(string registry, string local, string remote)
    {
        Assert.Equal(remote, ImagePublisher.RemoteReference(registry, local));
    }

    [Theory]
    [InlineData("https://registry.local:5000", "registry.local:5000")]
    [InlineData("registry local", "host[:port][/path]")]
    [InlineData("", "host[:port][/path]")]
    public void A_registry_with_a_scheme_or_blanks_is_invalid_input_with_the_fix(string registry, string hint)
    {
        var ex = Assert.Throws<SlipwayException>(() => ImagePublisher.NormalizeRegistry(registry));

        Assert.Equal(FailureReason.InvalidInput, ex.Reason);
        Assert.Contains(hint, ex.Hint);
    }
}
