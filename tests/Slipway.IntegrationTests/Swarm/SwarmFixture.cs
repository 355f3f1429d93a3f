using Slipway.Infrastructure.Composition;
using Slipway.Infrastructure.Processes;

namespace Slipway.IntegrationTests.Swarm;

/// <summary>
/// A single-node swarm on a dockerd of the tests' own (swarm-node.sh: own network namespace, data root, exec root,
/// socket and pidfile; stopped by its PID), with the hello image loaded from the shared engine. Slipway reaches it
/// through a docker wrapper that sets DOCKER_HOST; the shared daemon is never put in swarm mode.
/// </summary>
public sealed class SwarmFixture : IAsyncLifetime
{
    public const string NodeAddress = "10.214.14.2";

    /// <summary>The host's end of the node's veth: a registry listening here is reachable (and trusted) from the node's engine.</summary>
    public const string HostAddress = "10.214.14.1";

    private readonly string _name = $"slsw{Environment.ProcessId % 100000}";

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), $"slipway-swarm-{Environment.ProcessId}");

    public string Socket => Path.Combine(Directory, "docker.sock");

    /// <summary>A docker executable for Slipway: the real docker CLI pointed at this swarm's daemon.</summary>
    public string DockerWrapper => Path.Combine(Directory, "docker");

    private static string Script => Path.Combine(Infrastructure.Paths.RepositoryRoot, "tests", "Slipway.IntegrationTests", "Swarm", "swarm-node.sh");

    public HostSettings Host => HostSettings.FromEnvironment() with { Tools = HostSettings.FromEnvironment().Tools with { Docker = DockerWrapper } };

    public async Task InitializeAsync()
    {
        var start = await RunAsync("bash", Script, "start", Directory, _name, NodeAddress);
        if (!start.Succeeded) throw new InvalidOperationException($"the test swarm did not start (scripts/setup.sh installs iproute2 and docker.io):\n{start}");
        await File.WriteAllTextAsync(DockerWrapper, $"#!/bin/sh\nDOCKER_HOST=unix://{Socket} exec docker \"$@\"\n");
        if (OperatingSystem.IsLinux()) File.SetUnixFileMode(DockerWrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var load = await RunAsync("sh", "-c", $"docker save slipway/hello:local | DOCKER_HOST=unix://{Socket} docker load");
        if (!load.Succeeded) throw new InvalidOperationException($"loading slipway/hello:local into the test swarm failed:\n{load}");
    }

    public async Task DisposeAsync()
    {
        var stop = await RunAsync("bash", Script, "stop", Directory, _name);
        if (!stop.Succeeded) throw new InvalidOperationException($"stopping the test swarm failed:\n{stop}");
    }

    /// <summary>docker against the test swarm.</summary>
    public Task<ProcessResult> DockerAsync(params string[] args) => RunAsync(DockerWrapper, args);

    public async Task<string> DockerOutputAsync(params string[] args)
    {
        var result = await DockerAsync(args);
        Assert.True(result.Succeeded, result.ToString());
        return result.StandardOutput;
    }

    private static Task<ProcessResult> RunAsync(string file, params string[] args) =>
        new SystemProcessRunner().RunAsync(new ProcessSpec(file, args) { Timeout = TimeSpan.FromMinutes(3) });
}
