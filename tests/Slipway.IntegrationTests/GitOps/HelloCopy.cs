using Slipway.IntegrationTests.Infrastructure;

namespace Slipway.IntegrationTests.GitOps;

/// <summary>The example stack copied somewhere a test may edit it, and what its containers are right now.</summary>
internal static class HelloCopy
{
    /// <summary>Copies stacks/hello (compose, config, stack.yml; the image is built once by the fixture) into <paramref name="target"/>.</summary>
    public static string Write(string target)
    {
        foreach (var file in Directory.EnumerateFiles(Paths.HelloStack, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(Paths.HelloStack, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }

    /// <summary>A spec for the copy: GREETING set, web published on an ephemeral loopback port, data under D.</summary>
    public static string Spec(string stack, string greeting, string extraConfig = "") => $"""
        stack: {stack}
        deploy-to: compose
        config:
          GREETING: {greeting}
          {extraConfig}
        network:
          ports:
            web:
            - "127.0.0.1::80"
        volumes:
          hello-data: ./data/hello-data

        """;

    /// <summary>service → container ID of a compose project.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ContainersAsync(string project)
    {
        var output = await Docker.OutputAsync("ps", "--all", "--no-trunc", "--filter", $"label=com.docker.compose.project={project}",
            "--format", "{{.Label \"com.docker.compose.service\"}} {{.ID}}");
        return Docker.Lines(output).Select(l => l.Split(' ')).ToDictionary(p => p[0], p => p[1]);
    }
}
