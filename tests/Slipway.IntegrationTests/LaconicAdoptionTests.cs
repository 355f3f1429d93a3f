using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;

namespace Slipway.IntegrationTests;

/// <summary>A deployment directory laconic-so made and runs (project laconic-…, deployment.yml with only cluster-id), taken over by Slipway.</summary>
[Collection(SideBySideCollection.Name)]
public sealed class LaconicAdoptionTests(DockerFixture fixture)
{
    [Fact]
    public async Task A_running_laconic_so_deployment_is_adopted_in_place_and_its_volume_keeps_its_data()
    {
        Assert.Contains("built slipway/hello:local", fixture.HelloBuild.StandardError);
        await using var ws = new Workspace();
        var spec = await ws.InitAsync(Paths.HelloStack, "spec.yml", "--map-ports-to-host", "localhost-fixed-random");
        var text = await File.ReadAllTextAsync(spec);
        const string BindBacked = "  hello-data: \"./data/hello-data\"\n";
        Assert.True(text.Contains(BindBacked, StringComparison.Ordinal), $"deploy init's spec has no '{BindBacked.Trim()}':\n{text}");
        await File.WriteAllTextAsync(spec, text.Replace(BindBacked, "  hello-data:\n", StringComparison.Ordinal)); // engine-managed: <project>_hello-data

        // Make D what laconic-so leaves: deployment.yml with only cluster-id (and stack-source), no Slipway state,
        // and the stack running under the compose project laconic-so names after the cluster-id.
        var d = await ws.CreateAsync(spec, "laconic-deployment");
        var project = "laconic-" + Guid.NewGuid().ToString("N")[..16];
        var deploymentYml = $"cluster-id: {project}\nstack-source: {Paths.HelloStack}\n";
        await File.WriteAllTextAsync(d.File("deployment.yml"), deploymentYml);
        Directory.Delete(d.File(".slipway"), recursive: true);
        (await Docker.RunAsync("compose", "--project-name", project, "--env-file", d.File("config.env"),
            "--file", d.File("compose", "docker-compose-hello.yml"), "up", "--detach", "--wait")).ShouldSucceed();
        (await Docker.RunAsync("compose", "--project-name", project, "exec", "-T", "counter", "sh", "-c", "echo written-by-laconic > /data/kept")).ShouldSucceed();
        var volumes = await Docker.VolumesAsync(project);
        Assert.Equal([$"{project}_hello-data"], volumes);

        var start = await d.RunAsync("start");

        Assert.Contains($"adopted the laconic-so deployment {d.Directory}: its compose project stays {project}", start.StandardError);
        Assert.Equal(deploymentYml, await File.ReadAllTextAsync(d.File("deployment.yml"))); // nothing renamed
        Assert.Equal(volumes, await Docker.VolumesAsync(project));                          // the same volume, no second one
        var states = await d.StatusAsync();
        Assert.Equal(["counter", "web"], states.Select(s => s.Service).Order(StringComparer.Ordinal));
        Assert.All(states, s => Assert.Equal("running", s.State));
        var laconicContainers = await Docker.ContainerIdsAsync(project);
        Assert.Equal(2, laconicContainers.Count);
        Assert.All(states, s => Assert.Contains(laconicContainers, id => id.StartsWith(s.Id, StringComparison.Ordinal))); // Slipway's services are laconic's project
        Assert.Equal("written-by-laconic\n", await Docker.OutputAsync("compose", "--project-name", project, "exec", "-T", "counter", "cat", "/data/kept"));

        // Later commands know D is adopted (Slipway has state in D now) and say it only once.
        await d.RunAsync("stop");
        Assert.Empty(await Docker.ContainerIdsAsync(project));
        Assert.Equal(volumes, await Docker.VolumesAsync(project));
        var again = await d.RunAsync("start");
        Assert.DoesNotContain("adopted", again.StandardError, StringComparison.Ordinal);
        Assert.Equal("written-by-laconic\n", await Docker.OutputAsync("compose", "--project-name", project, "exec", "-T", "counter", "cat", "/data/kept"));
    }

    [Fact]
    public async Task A_laconic_so_directory_with_only_a_cluster_id_starts_from_its_own_files_and_restart_asks_for_the_stack()
    {
        await using var ws = new Workspace();
        var spec = await ws.InitAsync(Paths.HelloStack, "spec.yml", "--map-ports-to-host", "localhost-fixed-random");
        var d = await ws.CreateAsync(spec, "old-laconic-deployment");
        // What laconic-so wrote before deployment-id and stack-source: the cluster-id alone.
        var project = "laconic-" + Guid.NewGuid().ToString("N")[..16];
        var deploymentYml = $"cluster-id: {project}\n";
        await File.WriteAllTextAsync(d.File("deployment.yml"), deploymentYml);
        Directory.Delete(d.File(".slipway"), recursive: true);

        var start = await d.RunAsync("start");

        Assert.Contains($"adopted the laconic-so deployment {d.Directory}: its compose project stays {project}", start.StandardError);
        Assert.Contains("it names no stack-source, so D runs from its own stack.yml and compose files, no image is built, and restart needs --stack-path", start.StandardError);
        Assert.Equal(deploymentYml, await File.ReadAllTextAsync(d.File("deployment.yml")));
        Assert.Equal(2, (await Docker.ContainerIdsAsync(project)).Count);
        Assert.All(await d.StatusAsync(), s => Assert.Equal("running", s.State));

        var restart = await d.RunAsync(Cli.ExitCodes.InvalidInput, "restart");
        Assert.Contains("has no stack-source and --stack-path was not given", restart.StandardError);

        await d.RunAsync("stop");
        Assert.Empty(await Docker.ContainerIdsAsync(project));
    }

    [Fact]
    public async Task A_slipway_directory_whose_deployment_id_was_deleted_is_refused_and_starts_nothing()
    {
        await using var ws = new Workspace();
        var spec = await ws.InitAsync(Paths.HelloStack, "spec.yml", "--map-ports-to-host", "localhost-fixed-random");
        var d = await ws.CreateAsync(spec, "d");
        var file = d.File("deployment.yml");
        var lines = (await File.ReadAllLinesAsync(file)).Where(l => !l.StartsWith("deployment-id:", StringComparison.Ordinal));
        await File.WriteAllLinesAsync(file, lines);
        var clusterId = Workspace.ReadComposeProject(d.Directory);

        var start = await d.RunAsync(Cli.ExitCodes.InvalidInput, "start");

        Assert.Contains("has no deployment-id", start.StandardError);
        Assert.Contains("second, empty project", start.StandardError);
        Assert.Empty(await Docker.ContainerIdsAsync(clusterId));
        Assert.Empty(await Docker.ContainerIdsAsync(d.DeploymentId));
    }
}
