using Slipway.IntegrationTests.Infrastructure;

namespace Slipway.IntegrationTests.Runs;

/// <summary>Every verb that takes service names refuses one D does not define, before anything runs.</summary>
[Collection(SideBySideCollection.Name)]
public sealed class ServiceNameTests(DockerFixture fixture)
{
    [Fact]
    public async Task A_misspelt_service_name_is_a_usage_error_with_a_suggestion_and_nothing_runs()
    {
        Assert.Contains("built slipway/hello:local", fixture.HelloBuild.StandardError);
        await using var ws = new Workspace();
        var spec = await ws.InitAsync(RunStacks.Pipeline, "spec.yml", "--map-ports-to-host", "localhost-fixed-random");
        var d = await ws.CreateAsync(spec, "d");

        string[][] commands =
        [
            ["start", "webb"],
            ["start", "web", "sleepr"],
            ["exec", "webb", "true"],
            ["logs", "webb"],
            ["port", "webb", "80"],
            ["restart", "--image", "webb=slipway/hello:local"],
        ];
        foreach (var command in commands)
        {
            var result = await d.RunAsync(Cli.ExitCodes.UsageError, command);
            var typo = command[0] switch
            {
                "start" => command[^1],
                "restart" => command[2].Split('=')[0],
                _ => command[1],
            };
            Assert.Contains($"no service '{typo}'", result.StandardError);
            Assert.Contains(typo == "webb" ? "did you mean 'web'?" : "did you mean 'sleeper'?", result.StandardError);
            Assert.Contains("services: web, sleeper", result.StandardError);
        }

        // Nothing ran: no run recorded, no lock, no container.
        Assert.False(Directory.Exists(d.File(".slipway", "runs")), "a refused start must not record a run");
        Assert.False(File.Exists(d.File(".slipway", "lock")));
        Assert.Empty(await Docker.ContainerIdsAsync(d.DeploymentId));

        // A known name still works.
        await d.RunAsync("start", "web");
        // Only web runs; sleeper, which D defines and nobody started, is listed as missing.
        var status = (await d.StatusAsync()).ToDictionary(s => s.Service, s => s.State);
        Assert.Equal("running", status["web"]);
        Assert.Equal("missing", status["sleeper"]);
    }
}

/// <summary>The stacks these tests deploy.</summary>
internal static class RunStacks
{
    public static string Pipeline => Path.Combine(Paths.RepositoryRoot, "tests", "Slipway.IntegrationTests", "Pipeline", "Stacks", "pipeline");
}
