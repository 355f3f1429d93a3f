using Slipway.Infrastructure.Processes;
using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.Registry;

/// <summary>fetch-containers against a local docker-registry with htpasswd auth: the newest tag is pulled and tagged :local.</summary>
[Collection(DockerCollection.Name)]
public sealed class FetchContainersTests
{
    private const string Container = "slipway-it/fetchme";

    [Fact]
    public async Task The_newest_tag_is_pulled_and_tagged_local_and_an_existing_local_image_is_kept_unless_forced()
    {
        await using var ws = new Workspace();
        var token = "tok-" + Guid.NewGuid().ToString("N");
        await using var registry = await LocalRegistry.StartAsync(ws.Combine("registry"), "slipway", token);
        var remote = $"{registry.Address}/it/{Container}";
        var cleanup = new List<string> { $"{Container}:local" };
        var runner = new SystemProcessRunner();
        try
        {
            Directory.CreateDirectory(ws.Combine("image"));
            await File.WriteAllTextAsync(ws.Combine("image", "Dockerfile"), "FROM slipway/hello:local\n");
            async Task LoginAsync() => (await runner.RunAsync(new ProcessSpec("docker", ["login", "--username", "slipway", "--password-stdin", registry.Address])
            {
                StandardInput = token, Secrets = [token], Timeout = TimeSpan.FromMinutes(1),
            })).ShouldSucceed();
            async Task PushAsync(string tag, string mark)
            {
                cleanup.Add($"{remote}:{tag}");
                (await Docker.RunAsync("build", "--quiet", "--label", $"mark={mark}", "--tag", $"{remote}:{tag}", ws.Combine("image"))).ShouldSucceed();
                (await Docker.RunAsync("push", "--quiet", $"{remote}:{tag}")).ShouldSucceed();
                (await Docker.RunAsync("image", "rm", $"{remote}:{tag}")).ShouldSucceed();
            }

            await LoginAsync();
            await PushAsync("20261201", "one");
            await PushAsync("20261202", "two");
            await Docker.RunAsync("logout", registry.Address);
            await File.WriteAllTextAsync(ws.Combine("stack.yml"), $"name: fetch\ncontainers:\n  - {Container}\n  - slipway-it/absent\npods: []\n");
            string[] fetch = ["--stack", ws.Path, "fetch-containers", "--image-registry", $"{registry.Address}/it", "--registry-username", "slipway", "--registry-token", token];
            async Task<string> LocalMarkAsync() => (await Docker.OutputAsync("image", "inspect", "--format", "{{index .Config.Labels \"mark\"}}", $"{Container}:local")).Trim();

            var first = await SlipwayCommand.RunAsync(fetch);
            Assert.Equal("two", await LocalMarkAsync());
            Assert.Contains($"{Container}: pulled {remote}:20261202, tagged {Container}:local", first.StandardError);
            Assert.Contains($"image in {registry.Address}/it for slipway-it/absent: nothing fetched for it", first.StandardError);

            await LoginAsync();
            await PushAsync("20261203", "three");
            await Docker.RunAsync("logout", registry.Address);
            var kept = await SlipwayCommand.RunAsync(fetch);
            Assert.Equal("two", await LocalMarkAsync());
            Assert.Contains($"pulled {remote}:20261203; {Container}:local exists and is kept (--force-local-overwrite replaces it)", kept.StandardError);
            await SlipwayCommand.RunAsync([.. fetch, "--force-local-overwrite"]);
            Assert.Equal("three", await LocalMarkAsync());
        }
        finally
        {
            await Docker.RunAsync(["image", "rm", "--force", .. cleanup]);
        }
    }
}
