namespace Slipway.IntegrationTests.Infrastructure;

/// <summary>
/// Checks that the Docker Engine and Compose v2 answer (a missing engine FAILS every test, it never skips them),
/// then builds the stacks' images once with <c>slipway build-containers</c>. Every collection has one of these; they
/// share one check and one build per test run.
/// </summary>
public sealed class DockerFixture : IAsyncLifetime
{
    private static readonly Lazy<Task<(CliResult Hello, CliResult TestStack)>> Shared = new(PrepareAsync);

    public CliResult HelloBuild { get; private set; } = null!;

    public CliResult TestStackBuild { get; private set; } = null!;

    public async Task InitializeAsync() => (HelloBuild, TestStackBuild) = await Shared.Value;

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<(CliResult Hello, CliResult TestStack)> PrepareAsync()
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

        // Two stacks, two independent builds: side by side.
        var hello = Build(Paths.HelloStack);
        var testStack = Build(Paths.TestStack);
        return (await hello, await testStack);
    }

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
