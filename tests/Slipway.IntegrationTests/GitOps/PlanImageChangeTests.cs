using System.Text.Json;
using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.GitOps;

/// <summary>plan sees what a start would build: a committed or uncommitted change to a build folder is an image rebuild, not "No changes".</summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class PlanImageChangeTests(DockerFixture fixture)
{
    private const string Repository = "slipway/plan-image-test";

    [Fact]
    public async Task A_commit_in_a_dev_root_repository_the_image_builds_from_plans_as_a_rebuild()
    {
        const string DevImage = "slipway/plan-devroot-test";
        await using var ws = new Workspace();
        var previous = Environment.GetEnvironmentVariable("CERC_REPO_BASE_DIR");
        try
        {
            // laconic-so's default build: no container-build folder, a Dockerfile in <dev root>/<image name>.
            var upstream = await GitTestRepository.CreateAuthorAsync(ws.Path, "devsrc", new Dictionary<string, string>
            {
                ["Dockerfile"] = "FROM slipway/hello:local\nLABEL io.slipway.test.version=1\n",
            });
            Directory.CreateDirectory(ws.Combine("repos"));
            var repository = await GitTestRepository.CloneAsync(await upstream.RemoteAsync(), ws.Combine("repos", "plan-devroot-test"));
            Environment.SetEnvironmentVariable("CERC_REPO_BASE_DIR", ws.Combine("repos"));
            var author = await GitTestRepository.CreateAuthorAsync(ws.Path, "ops", new Dictionary<string, string>
            {
                ["stack/stack.yml"] = $"name: plan-devroot\npods: [app]\ncontainers: [{DevImage}]\n",
                ["stack/compose/docker-compose-app.yml"] = $"services:\n  app:\n    image: {DevImage}:local\n    entrypoint: [\"/bin/sleep\", \"3600\"]\n",
                ["spec.yml"] = "stack: ./stack\n",
            });
            var d = await ws.CreateAsync(author.Combine("spec.yml"), "d");
            await d.RunAsync("start");
            Assert.DoesNotContain("would be rebuilt", (await d.RunAsync("plan")).StandardOutput);

            repository.Write("Dockerfile", "FROM slipway/hello:local\nLABEL io.slipway.test.version=2\n");
            var commit = await repository.CommitAsync("image v2");
            var plan = await d.RunAsync("plan");

            Assert.Contains($"image {DevImage}:local: would be rebuilt as {DevImage}:{commit[..12]} (git commit {commit[..12]} of ", plan.StandardOutput);
        }
        finally
        {
            Environment.SetEnvironmentVariable("CERC_REPO_BASE_DIR", previous);
            foreach (var tag in (await Docker.OutputAsync("images", DevImage, "--format", "{{.Repository}}:{{.Tag}}")).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                await Docker.RunAsync("rmi", "--force", tag);
            }
        }
    }

    [Fact]
    public async Task A_committed_build_folder_change_plans_as_an_image_rebuild_and_a_dirty_one_warns()
    {
        Assert.Contains("built slipway/hello:local", fixture.HelloBuild.StandardError);
        await using var ws = new Workspace();
        try
        {
            var author = await GitTestRepository.CreateAuthorAsync(ws.Path, "ops", new Dictionary<string, string>
            {
                ["stack/stack.yml"] = $"name: plan-image\npods: [app]\ncontainers: [{Repository}]\n",
                ["stack/compose/docker-compose-app.yml"] = $"services:\n  app:\n    image: {Repository}:local\n    entrypoint: [\"/bin/sleep\", \"3600\"]\n",
                ["stack/container-build/slipway-plan-image-test/Dockerfile"] = "FROM slipway/hello:local\nLABEL io.slipway.test.version=1\n",
                ["spec.yml"] = "stack: ./stack\n",
            });
            var d = await ws.CreateAsync(author.Combine("spec.yml"), "d");
            await d.RunAsync("start");
            Assert.Contains("No changes", (await d.RunAsync("plan")).StandardOutput);

            author.Write("stack/container-build/slipway-plan-image-test/Dockerfile", "FROM slipway/hello:local\nLABEL io.slipway.test.version=2\n");
            var commit = await author.CommitAsync("image v2");
            var plan = await d.RunAsync("plan");
            Assert.DoesNotContain("No changes", plan.StandardOutput);
            Assert.Contains($"image {Repository}:local: would be rebuilt as {Repository}:{commit[..12]} (git commit {commit[..12]} of ", plan.StandardOutput);
            Assert.DoesNotContain("uncommitted", plan.StandardError);
            Assert.Contains($"service app would be recreated: image rebuilt as {Repository}:{commit[..12]}", plan.StandardOutput);

            author.Write("stack/container-build/slipway-plan-image-test/Dockerfile", "FROM slipway/hello:local\nLABEL io.slipway.test.version=3\n");
            var json = await d.RunAsync("plan", "--output", "json");
            using var document = JsonDocument.Parse(json.StandardOutput);
            var image = Assert.Single(document.RootElement.GetProperty("images").EnumerateArray().ToList());
            Assert.StartsWith($"{Repository}:{commit[..12]}-dirty-", image.GetProperty("next").GetString());
            Assert.True(image.GetProperty("dirty").GetBoolean());
            Assert.Contains("has uncommitted changes", json.StandardError);

            // Deploying it anyway says so, and how to get a clean tag.
            var start = await d.RunAsync("start");
            Assert.Contains("was built from a build folder with uncommitted changes", start.StandardError);
            Assert.Contains("commit (or stash) them and run again for a clean, reproducible tag", start.StandardError);
        }
        finally
        {
            foreach (var tag in (await Docker.OutputAsync("images", Repository, "--format", "{{.Repository}}:{{.Tag}}")).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                await Docker.RunAsync("rmi", "--force", tag);
            }
        }
    }
}
