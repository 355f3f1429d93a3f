namespace Slipway.IntegrationTests.Infrastructure;

/// <summary>
/// Every integration test runs in this one collection, so they run one at a time (2 CPU cores, one Docker Engine).
/// </summary>
[CollectionDefinition(Name)]
public sealed class DockerCollection : ICollectionFixture<DockerFixture>
{
    public const string Name = "docker";
}

/// <summary>
/// Checks that the Docker Engine and Compose v2 answer (a missing engine FAILS every test, it never skips them),
/// then builds the stacks' images once with <c>slipway build-containers</c>.
/// </summary>
public sealed class DockerFixture : IAsyncLifetime
{
    public CliResult HelloBuild { get; private set; } = null!;

    public CliResult TestStackBuild { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var engine = await Docker.RunAsync("version", "--format", "{{.Server.Version}}");
        if (!engine.Succeeded)
        {
            throw new InvalidOperationException(
                "The integration tests need a running Docker Engine (scripts/setup.sh installs and starts one); 'docker version' failed:\n" + engine);
        }

        var compose = await Docker.RunAsync("compose", "version");
        if (!compose.Succeeded)
        {
            throw new InvalidOperationException("The integration tests need Docker Compose v2 ('docker compose'); 'docker compose version' failed:\n" + compose);
        }

        HelloBuild = await Build(Paths.HelloStack);
        TestStackBuild = await Build(Paths.TestStack);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<CliResult> Build(string stack)
    {
        var result = await SlipwayCommand.RunUncheckedAsync("--stack", stack, "build-containers");
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"building the images of {stack} failed:\n{result}");
        }

        return result;
    }
}
