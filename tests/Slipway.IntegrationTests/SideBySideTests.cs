using Slipway.IntegrationTests.Infrastructure;

namespace Slipway.IntegrationTests;

[Collection(SideBySideCollection.Name)]
public sealed class SideBySideTests
{
    [Fact]
    public async Task Two_deployments_of_one_spec_run_side_by_side_as_separate_projects_and_stop_independently()
    {
        await using var ws = new Workspace();
        var spec = await ws.InitAsync(Paths.HelloStack, "hello-spec.yml", "--config", "GREETING=twins");
        // Engine-chosen host ports on loopback, so both copies of the spec can publish port 80.
        var text = await File.ReadAllTextAsync(spec);
        Assert.Contains("- \"80\"", text);
        await File.WriteAllTextAsync(spec, text.Replace("- \"80\"", "- \"127.0.0.1::80\"", StringComparison.Ordinal));

        var one = await ws.CreateAsync(spec, "one");
        var two = await ws.CreateAsync(spec, "two");
        Assert.NotEqual(one.DeploymentId, two.DeploymentId);

        await one.RunAsync("start");
        await two.RunAsync("start");
        var urlOne = await one.UrlAsync("web", 80);
        var urlTwo = await two.UrlAsync("web", 80);
        Assert.NotEqual(urlOne.Port, urlTwo.Port);
        Assert.Contains("<h1>twins</h1>", await Http.GetOkAsync(urlOne, "/"));
        Assert.Contains("<h1>twins</h1>", await Http.GetOkAsync(urlTwo, "/"));

        // Each deployment's containers carry its own project name, and each has its own data.
        var idsOne = await Docker.ContainerIdsAsync(one.DeploymentId);
        var idsTwo = await Docker.ContainerIdsAsync(two.DeploymentId);
        Assert.Equal(2, idsOne.Count);
        Assert.Equal(2, idsTwo.Count);
        Assert.Empty(idsOne.Intersect(idsTwo));
        Assert.Single(File.ReadAllLines(one.File("data", "hello-data", "starts.log")));
        Assert.Single(File.ReadAllLines(two.File("data", "hello-data", "starts.log")));

        await one.RunAsync("stop");
        Assert.Empty(await Docker.ContainerIdsAsync(one.DeploymentId));
        Assert.Equal(idsTwo, await Docker.ContainerIdsAsync(two.DeploymentId));
        Assert.All(await two.StatusAsync(), s => Assert.Equal(("running", "healthy"), (s.State, s.Health)));
        Assert.Contains("<h1>twins</h1>", await Http.GetOkAsync(urlTwo, "/"));
        Assert.Equal("No containers running", (await one.RunAsync("status")).StandardOutput.Trim());
    }
}
