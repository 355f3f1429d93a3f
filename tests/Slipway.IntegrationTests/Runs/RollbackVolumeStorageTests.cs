using Slipway.IntegrationTests.Infrastructure;
using Slipway.IntegrationTests.Volumes;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.Runs;

/// <summary>An explicit rollback compares the revision's volume storage with the live volumes, as start compares D's.</summary>
[Collection(SideBySideCollection.Name)]
public sealed class RollbackVolumeStorageTests(DockerFixture fixture)
{
    [Fact]
    public async Task Rollback_to_a_revision_whose_volume_lived_elsewhere_is_refused_with_the_steps_and_nothing_changes()
    {
        Assert.Contains("built slipway/hello:local", fixture.HelloBuild.StandardError);
        await using var ws = new Workspace();
        var first = ws.Combine("storage-a");
        var second = ws.Combine("storage-b");
        Directory.CreateDirectory(first);
        var spec = await ws.InitAsync(VolumeStorageTests.Stack, "spec.yml");
        VolumeStorageTests.SetVolume(spec, first);
        var d = await ws.CreateAsync(spec, "d");
        await d.RunAsync("start"); // revision 1: host directory A

        // The data moved to B the way start's refusal says; revision 2 lives there.
        VolumeStorageTests.SetVolume(spec, second);
        await SlipwayCommand.RunAsync("deploy", "create", "--update", "--spec-file", spec, "--deployment-dir", d.Directory);
        await d.RunAsync("stop");
        Directory.CreateDirectory(second);
        File.Copy(Path.Combine(first, "log"), Path.Combine(second, "log"));
        (await Docker.RunAsync("volume", "rm", $"{d.DeploymentId}_store")).ShouldSucceed();
        await d.RunAsync("start");
        Assert.Equal("started\nstarted\n", await File.ReadAllTextAsync(Path.Combine(second, "log")));

        var before = Snapshot(d.Directory);
        var containers = await Docker.ContainerIdsAsync(d.DeploymentId);
        var rollback = await d.RunAsync(Cli.ExitCodes.Conflict, "rollback", "--to-revision", "1");
        Assert.Contains($"'store' is live as host directory {second}, but revision 1 declares host directory {first}", rollback.AllOutput);
        Assert.Contains("nothing was changed", rollback.AllOutput);
        Assert.Contains($"cp -a {second}/. {first}/", rollback.AllOutput);
        Assert.Contains("rollback --to-revision 1 (compose creates each volume with the storage revision 1 declares)", rollback.AllOutput);

        // Nothing changed: D's files, the containers, the data in either place.
        Assert.Equal(before, Snapshot(d.Directory));
        Assert.Equal(containers, await Docker.ContainerIdsAsync(d.DeploymentId));
        Assert.Equal("started\n", await File.ReadAllTextAsync(Path.Combine(first, "log")));
        Assert.Equal("started\nstarted\n", await File.ReadAllTextAsync(Path.Combine(second, "log")));
        Assert.DoesNotContain("in use;", (await d.RunAsync("plan")).AllOutput);
    }

    /// <summary>Every file of D outside .slipway/ (runs and logs change with each command), with its content.</summary>
    private static Dictionary<string, string> Snapshot(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(directory, f).StartsWith(".slipway", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(directory, f), File.ReadAllText, StringComparer.Ordinal);
}
