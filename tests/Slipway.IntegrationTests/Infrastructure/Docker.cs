using Slipway.Infrastructure.Processes;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.Infrastructure;

/// <summary>Plain <c>docker</c> for assertions and cleanup; only ever about objects of the tests' own projects.</summary>
public static class Docker
{
    private static readonly SystemProcessRunner Runner = new();

    public static Task<ProcessResult> RunAsync(params string[] args) =>
        Runner.RunAsync(new ProcessSpec("docker", args) { Timeout = TimeSpan.FromMinutes(2) });

    public static async Task<string> OutputAsync(params string[] args) =>
        (await RunAsync(args)).ShouldSucceed().StandardOutput;

    /// <summary>IDs of every container (running or not) of a compose project.</summary>
    public static async Task<IReadOnlyList<string>> ContainerIdsAsync(string project) =>
        Lines(await OutputAsync("ps", "--all", "--no-trunc", "--quiet", "--filter", $"label=com.docker.compose.project={project}"));

    /// <summary>Names of the Docker volumes of a compose project.</summary>
    public static async Task<IReadOnlyList<string>> VolumesAsync(string project) =>
        Lines(await OutputAsync("volume", "ls", "--quiet", "--filter", $"label=com.docker.compose.project={project}"));

    public static IReadOnlyList<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal).ToList();
}
