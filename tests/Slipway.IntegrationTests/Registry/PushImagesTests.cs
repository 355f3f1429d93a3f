using Slipway.IntegrationTests.Infrastructure;

namespace Slipway.IntegrationTests.Registry;

/// <summary>deployment push-images against a local registry with a login: the deployment's :local image arrives under the name its files use.</summary>
[Collection(RegistryLoginCollection.Name)]
public sealed class PushImagesTests
{
    [Fact]
    public async Task Push_images_pushes_the_deployments_local_image_to_the_spec_registry_with_its_login()
    {
        await using var ws = new Workspace();
        var token = "tok-" + Guid.NewGuid().ToString("N");
        var variable = "SLIPWAY_IT_PUSH_IMAGES_TOKEN_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await using var registry = await LocalRegistry.StartAsync(ws.Combine("registry"), "slipway", token);
        Environment.SetEnvironmentVariable(variable, token);
        var remote = $"{registry.Address}/it/slipway/hello:local";
        try
        {
            var spec = await ws.InitAsync(Paths.HelloStack, "hello-spec.yml");
            await File.AppendAllTextAsync(spec, $"image-registry: {registry.Address}/it\nregistry-credentials:\n  server: {registry.Address}\n  username: slipway\n  token-env: {variable}\n");
            var d = await ws.CreateAsync(spec, "hello");

            var push = await d.RunAsync("push-images");

            Assert.StartsWith($"slipway/hello:local -> {remote}@sha256:", push.StandardOutput.Trim());
            Assert.DoesNotContain(token, push.AllOutput);
            // The registry really holds the tag (asked with the same login, over HTTP to 127.0.0.1).
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{registry.Address}/v2/it/slipway/hello/tags/list");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("slipway:" + token)));
            using var response = await client.SendAsync(request);
            Assert.Contains("\"local\"", await response.Content.ReadAsStringAsync());
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
            await Docker.RunAsync("image", "rm", remote);
        }
    }

    [Fact]
    public async Task Push_images_without_an_image_registry_says_what_is_missing()
    {
        await using var ws = new Workspace();
        var d = await ws.CreateAsync(await ws.InitAsync(Paths.HelloStack, "hello-spec.yml"), "hello");

        var result = await d.RunUncheckedAsync("push-images");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("push-images needs 'image-registry'", result.StandardError);
    }
}
