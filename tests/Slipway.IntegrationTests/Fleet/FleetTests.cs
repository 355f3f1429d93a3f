using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.Fleet;

/// <summary>
/// The fleet verbs against three real hosts (network namespaces, each with its own sshd and dockerd), one fleet shared
/// by every test here; each test uses its own operator repository, deployment directories and compose projects.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed partial class FleetTests(FleetHosts fleet) : IClassFixture<FleetHosts>
{
    [Fact]
    public async Task Each_test_host_answers_ssh_with_its_own_engine_and_its_own_files()
    {
        for (var i = 1; i <= fleet.Count; i++)
        {
            var host = fleet[i];
            await File.WriteAllTextAsync(Path.Combine(host.Files, "whoami"), host.Name);
            var result = (await host.SshAsync($"echo $DOCKER_HOST; cat {fleet.HostRoot}/whoami; echo; docker info --format '{{{{.DockerRootDir}}}}'")).ShouldSucceed();
            var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal([host.DockerHost, host.Name], lines[..2]);
            Assert.StartsWith(fleet.Root, lines[2], StringComparison.Ordinal);
            Assert.Contains($"/h{i}/", lines[2], StringComparison.Ordinal);
        }
    }
}
