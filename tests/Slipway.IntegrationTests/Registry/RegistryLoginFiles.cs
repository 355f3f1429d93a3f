using Slipway.IntegrationTests.Infrastructure;

namespace Slipway.IntegrationTests.Registry;

/// <summary>
/// What a registry-login test gives Slipway: a docker config folder of the test's own (so no login touches
/// ~/.docker/config.json), a docker wrapper that uses it (and, when asked, another engine), and the token as an
/// owner-only file for the spec's <c>registry-credentials.token-file</c>.
/// </summary>
internal sealed record RegistryLoginFiles(string DockerConfig, string DockerWrapper, string TokenFile)
{
    public static async Task<RegistryLoginFiles> CreateAsync(Workspace ws, string token, string? dockerHost = null)
    {
        var dockerConfig = ws.Combine("docker-config");
        Directory.CreateDirectory(dockerConfig);
        var wrapper = ws.Combine("docker");
        var engine = dockerHost is null ? "" : $"DOCKER_HOST={dockerHost} ";
        await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\nDOCKER_CONFIG={dockerConfig} {engine}exec docker \"$@\"\n");
        if (OperatingSystem.IsLinux()) File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var tokenFile = ws.Combine("registry.token");
        await File.WriteAllTextAsync(tokenFile, token + "\n");
        if (OperatingSystem.IsLinux()) File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return new RegistryLoginFiles(dockerConfig, wrapper, tokenFile);
    }

    /// <summary>The spec lines that make a run log in to <paramref name="server"/> as user slipway with the token file.</summary>
    public string SpecLines(string server) => $"registry-credentials:\n  server: {server}\n  username: slipway\n  token-file: {TokenFile}\n";
}
