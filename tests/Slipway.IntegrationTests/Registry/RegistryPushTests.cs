using System.Text.Json;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Infrastructure.Build;
using Slipway.Infrastructure.Logging;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Registry;
using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;
using ToolsDocker = Slipway.Infrastructure.Tools.Docker;

namespace Slipway.IntegrationTests.Registry;

[Collection(RegistryLoginCollection.Name)]
public sealed class RegistryPushTests
{
    private const string Container = "slipway-it/pushme";

    [Fact]
    public async Task Images_pushed_with_a_token_from_the_environment_are_pulled_by_a_deployment_and_the_token_is_in_no_log()
    {
        var ws = new Workspace();
        var token = "tok-" + Guid.NewGuid().ToString("N");
        var tokenVariable = "SLIPWAY_IT_REGISTRY_TOKEN_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var marker = "pushed-" + Guid.NewGuid().ToString("N");
        var registry = await LocalRegistry.StartAsync(ws.Combine("registry"), "slipway", token);
        var cleanup = new List<string>();
        try
        {
            Environment.SetEnvironmentVariable(tokenVariable, token);
            WriteStack(ws, marker);
            var spec = ws.Combine("spec.yml");
            await File.WriteAllTextAsync(spec, $"""
                stack: ./stack
                image-registry: {registry.Address}/it
                registry-credentials:
                  server: {registry.Address}
                  username: slipway
                  token-env: {tokenVariable}

                """);

            // build-containers --push: token from the environment, on docker login's stdin.
            var push = await SlipwayCommand.RunAsync("build-containers", "--spec-file", spec, "--push", "--output", "json", "--verbose");
            Assert.DoesNotContain(token, push.AllOutput);
            using var json = JsonDocument.Parse(push.StandardOutput);
            var pushed = Assert.Single(json.RootElement.EnumerateArray());
            var revision = pushed.GetProperty("revision").GetString()!;
            var remote = pushed.GetProperty("reference").GetString()!;
            var local = $"{Container}:{revision}";
            cleanup.AddRange([remote, local, $"{Container}:local"]);
            Assert.Matches("^content-[0-9a-f]{12}$", revision); // the workspace is not a git repository
            Assert.Equal($"{registry.Address}/it/{Container}:{revision}", remote);
            Assert.StartsWith("sha256:", pushed.GetProperty("digest").GetString());
            Assert.Contains("docker login --username slipway --password-stdin " + registry.Address, push.StandardError);

            // The registry really holds the tag (asked with the same credentials, over HTTP to 127.0.0.1).
            Assert.Contains(revision, await TagsAsync(registry, token));

            // A deployment whose compose file names the pushed reference.
            await File.AppendAllTextAsync(spec, $"config:\n  PUSHME_IMAGE: {remote}\n");
            var d = await ws.CreateAsync(spec, "deployment");

            // The push stage as the pipeline runs it: logged into D's run log.
            var logsDirectory = d.File(".slipway", "logs");
            using (var log = FileCommandLog.ForCommand(logsDirectory, "push"))
            {
                var publisher = new ImagePublisher(new ToolsDocker(new LoggingProcessRunner(new SystemProcessRunner(), log)));
                var again = await publisher.PushAsync(
                    [new BuiltImage(Container, $"{Container}:local", local, TimeSpan.Zero)],
                    new PushRequest($"{registry.Address}/it")
                    {
                        Credentials = new RegistryCredentials(registry.Address, "slipway", tokenVariable, null, new SourceLocation(spec, 3, 3)),
                        SpecDirectory = ws.Path,
                        GetEnvironment = Environment.GetEnvironmentVariable,
                    },
                    null,
                    CancellationToken.None);
                Assert.Equal(remote, Assert.Single(again).Reference);
            }

            var pushLog = await File.ReadAllTextAsync(Directory.GetFiles(logsDirectory, "*-push.log").Single());
            Assert.Contains($"$ docker login --username slipway --password-stdin {registry.Address}", pushLog);
            Assert.Contains("Login Succeeded", pushLog);
            Assert.Contains($"$ docker push {remote}", pushLog);

            // Nothing local any more: start must pull from the registry.
            foreach (var image in cleanup) await Docker.RunAsync("image", "rm", image);
            (await Docker.RunAsync("image", "inspect", remote)).ShouldFail();

            await d.RunAsync("start");

            (await Docker.RunAsync("image", "inspect", remote)).ShouldSucceed();
            var url = await d.UrlAsync("web", 80);
            Assert.Equal(marker, (await Http.GetOkAsync(url, "/index.html")).Trim());
            var states = await d.StatusAsync();
            Assert.Equal(("web", "running", "healthy"), (states.Single().Service, states.Single().State, states.Single().Health));

            // No file in D (run logs, config, compose files) holds the token.
            var files = Directory.GetFiles(d.Directory, "*", SearchOption.AllDirectories);
            Assert.Contains(files, f => f.EndsWith("-start.log", StringComparison.Ordinal));
            Assert.All(files, f => Assert.False(File.ReadAllText(f).Contains(token, StringComparison.Ordinal), $"{f} contains the registry token"));
        }
        finally
        {
            // The registry stops before its storage (inside the workspace) is deleted; containers go before their images.
            Environment.SetEnvironmentVariable(tokenVariable, null);
            await registry.DisposeAsync();
            await ws.DisposeAsync();
            foreach (var image in cleanup) await Docker.RunAsync("image", "rm", image);
            await Docker.RunAsync("logout", registry.Address);
        }
    }

    [Fact]
    public async Task A_token_the_registry_refuses_fails_start_at_prepare_before_anything_is_built()
    {
        var ws = new Workspace();
        var token = "tok-" + Guid.NewGuid().ToString("N");
        var wrong = "wrong-" + Guid.NewGuid().ToString("N");
        var tokenVariable = "SLIPWAY_IT_REGISTRY_TOKEN_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var registry = await LocalRegistry.StartAsync(ws.Combine("registry"), "slipway", token);
        try
        {
            Environment.SetEnvironmentVariable(tokenVariable, wrong);
            WriteStack(ws, "never-built-" + Guid.NewGuid().ToString("N"));
            var spec = ws.Combine("spec.yml");
            await File.WriteAllTextAsync(spec, $"""
                stack: ./stack
                image-registry: {registry.Address}/it
                registry-credentials:
                  server: {registry.Address}
                  username: slipway
                  token-env: {tokenVariable}
                config:
                  PUSHME_IMAGE: {registry.Address}/it/{Container}:never

                """);
            var d = await ws.CreateAsync(spec, "deployment");

            var start = await d.RunAsync(Cli.ExitCodes.PrerequisiteMissing, "start");

            Assert.Contains($"start failed at stage prepare: docker login to {registry.Address} as slipway failed", start.StandardError);
            Assert.Contains($"check the username and the token in ${tokenVariable}", start.StandardError);
            Assert.DoesNotContain("[2/", start.StandardError);
            Assert.DoesNotContain(wrong, start.AllOutput);
            Assert.Empty(await Docker.ContainerIdsAsync(d.DeploymentId));

            // build-containers --push refuses before building too.
            var build = await SlipwayCommand.RunAsync(Cli.ExitCodes.PrerequisiteMissing, "build-containers", "--spec-file", spec, "--push");
            Assert.Contains($"docker login to {registry.Address} as slipway failed", build.StandardError);
            Assert.DoesNotContain("built ", build.StandardError);
        }
        finally
        {
            Environment.SetEnvironmentVariable(tokenVariable, null);
            await registry.DisposeAsync();
            await ws.DisposeAsync();
        }
    }

    /// <summary>A FROM scratch image serving <paramref name="marker"/> with busybox httpd (unique content, so a unique tag).</summary>
    private static void WriteStack(Workspace ws, string marker)
    {
        Directory.CreateDirectory(ws.Combine("stack", "compose"));
        File.WriteAllText(ws.Combine("stack", "stack.yml"), $"name: pushme\ncontainers:\n  - {Container}\npods:\n  - pushme\n");
        File.WriteAllText(ws.Combine("stack", "compose", "docker-compose-pushme.yml"), """
            services:
              web:
                image: ${PUSHME_IMAGE:?the spec's config sets PUSHME_IMAGE}
                init: true
                ports:
                  - "80"
                healthcheck:
                  test: ["CMD", "/bin/busybox", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:80/index.html"]
                  interval: 1s
                  timeout: 3s
                  retries: 30
            """);
        var build = ws.Combine("stack", "container-build", "slipway-it-pushme");
        Directory.CreateDirectory(Path.Combine(build, "www"));
        File.Copy("/bin/busybox", Path.Combine(build, "busybox"));
        File.WriteAllText(Path.Combine(build, "www", "index.html"), marker + "\n");
        File.WriteAllText(Path.Combine(build, "Dockerfile"), """
            FROM scratch
            COPY busybox /bin/busybox
            COPY www /www
            EXPOSE 80
            ENTRYPOINT ["/bin/busybox", "httpd", "-f", "-p", "80", "-h", "/www"]
            """);
    }

    private static async Task<string> TagsAsync(LocalRegistry registry, string token)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{registry.Address}/v2/it/{Container}/tags/list");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("slipway:" + token)));
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"tags/list answered {(int)response.StatusCode}: {body}\n{registry.Log}");
        return body;
    }
}
