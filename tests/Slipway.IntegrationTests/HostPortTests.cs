using System.Net;
using System.Net.Sockets;
using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;

namespace Slipway.IntegrationTests;

/// <summary>prepare's host port check on the real engine: a port someone else holds is refused before anything starts.</summary>
[Collection(SideBySideCollection.Name)]
public sealed class HostPortTests(DockerFixture fixture)
{
    [Fact]
    public async Task A_host_port_held_by_a_container_or_a_process_is_refused_at_prepare_naming_the_holder_and_the_spec_line_and_nothing_starts()
    {
        Assert.Equal(0, fixture.HelloBuild.ExitCode);
        await using var ws = new Workspace();
        var holder = "slipway-it-portholder-" + Guid.NewGuid().ToString("N")[..8];
        var containerPort = FreePort();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var processPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        try
        {
            (await Docker.RunAsync("run", "--detach", "--name", holder, "--publish", $"127.0.0.1:{containerPort}:80", "slipway/hello:local", "web")).ShouldSucceed();
            var spec = ws.Combine("spec.yml");
            await File.WriteAllTextAsync(spec, $"""
                stack: "{Paths.HelloStack}"
                network:
                  ports:
                    web:
                      - "127.0.0.1:{containerPort}:80"
                      - "127.0.0.1:{processPort}:81"
                """);
            var d = await ws.CreateAsync(spec, "ports");

            var refused = await d.RunAsync(Cli.ExitCodes.Conflict, "start");

            Assert.Contains("2 host ports are already in use; nothing was started", refused.StandardError);
            Assert.Contains($"{spec}:5:9: host port 127.0.0.1:{containerPort}/tcp of service web (\"127.0.0.1:{containerPort}:80\") is already in use by container {holder}", refused.StandardError);
            Assert.Contains($"{spec}:6:9: host port 127.0.0.1:{processPort}/tcp of service web (\"127.0.0.1:{processPort}:81\") is already in use by process ", refused.StandardError);
            Assert.Contains($"(pid {Environment.ProcessId}) (listening on 127.0.0.1:{processPort}/tcp)", refused.StandardError);
            Assert.Empty(await Docker.ContainerIdsAsync(d.DeploymentId));
            Assert.DoesNotContain(" Container ", refused.StandardError);

            // Freed, the same spec starts; started again, the ports its own containers hold are not in the way.
            listener.Stop();
            (await Docker.RunAsync("rm", "--force", holder)).ShouldSucceed();
            await d.RunAsync("start");
            var again = await d.RunAsync("start");
            Assert.DoesNotContain("already in use", again.StandardError);
        }
        finally
        {
            listener.Stop();
            await Docker.RunAsync("rm", "--force", holder);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
