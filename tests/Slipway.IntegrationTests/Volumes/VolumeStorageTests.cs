using System.Text.RegularExpressions;
using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.Volumes;

/// <summary>
/// Docker keeps an existing volume's storage whatever the compose files say later: a start compares the live volume
/// with D first, plan describes the storage in use, and a moved D never mounts (or names) a folder outside itself.
/// </summary>
[Collection(SideBySideCollection.Name)]
public sealed partial class VolumeStorageTests(DockerFixture fixture)
{
    internal static string Stack => Path.Combine(Paths.RepositoryRoot, "tests", "Slipway.IntegrationTests", "Volumes", "Stacks", "volumes");

    [Fact]
    public async Task A_named_volume_changed_to_a_host_path_is_refused_at_start_and_plan_and_stop_tell_the_storage_in_use()
    {
        Assert.Contains("built slipway/hello:local", fixture.HelloBuild.StandardError);
        await using var ws = new Workspace();
        var spec = await ws.InitAsync(Stack, "spec.yml");
        SetVolume(spec, "");
        var d = await ws.CreateAsync(spec, "d");
        await d.RunAsync("start");

        SetVolume(spec, "./data/store");
        await SlipwayCommand.RunAsync("deploy", "create", "--update", "--spec-file", spec, "--deployment-dir", d.Directory);
        var hostPath = d.File("data", "store");

        var plan = await d.RunAsync("plan");
        Assert.Contains($"Docker named volume (in use; D declares host directory {hostPath}: start refuses until it is migrated)", plan.AllOutput);

        var containers = await Docker.ContainerIdsAsync(d.DeploymentId);
        var start = await d.RunAsync(Cli.ExitCodes.Conflict, "start");
        Assert.Contains($"'store' is live as Docker named volume {d.DeploymentId}_store", start.AllOutput);
        Assert.Contains($"but D declares host directory {hostPath}", start.AllOutput);
        Assert.Contains($"docker volume rm {d.DeploymentId}_store", start.AllOutput);
        Assert.Equal(containers, await Docker.ContainerIdsAsync(d.DeploymentId));

        // The data is in the named volume: --delete-volumes deletes it and must not call the host path kept data.
        var stop = await d.RunAsync("stop", "--delete-volumes");
        Assert.Contains($"{d.DeploymentId}_store", stop.AllOutput);
        Assert.DoesNotContain("kept host-path data", stop.AllOutput);
    }

    [Fact]
    public async Task A_host_path_changed_to_another_is_refused_at_start_and_its_migration_steps_move_the_data()
    {
        Assert.Contains("built slipway/hello:local", fixture.HelloBuild.StandardError);
        await using var ws = new Workspace();
        var first = ws.Combine("storage-a");
        var second = ws.Combine("storage-b");
        Directory.CreateDirectory(first);
        var spec = await ws.InitAsync(Stack, "spec.yml");
        SetVolume(spec, first);
        var d = await ws.CreateAsync(spec, "d");
        await d.RunAsync("start");
        Assert.Equal("started\n", await File.ReadAllTextAsync(Path.Combine(first, "log")));

        SetVolume(spec, second);
        await SlipwayCommand.RunAsync("deploy", "create", "--update", "--spec-file", spec, "--deployment-dir", d.Directory);
        Assert.Contains($"host directory {first} (in use; D declares host directory {second}", (await d.RunAsync("plan")).AllOutput);
        var start = await d.RunAsync(Cli.ExitCodes.Conflict, "start");
        Assert.Contains($"'store' is live as host directory {first}, but D declares host directory {second}", start.AllOutput);
        Assert.False(File.Exists(Path.Combine(second, "log")), "a refused start wrote to the new storage");

        // The steps the refusal gives: stop, copy, drop Docker's record of the bind volume (the folder stays), start.
        Assert.Contains($"cp -a {first}/. {second}/", start.AllOutput);
        await d.RunAsync("stop");
        Directory.CreateDirectory(second);
        (await Docker.RunAsync("run", "--rm", "-v", $"{first}:/from", "-v", $"{second}:/to", "--entrypoint", "/bin/cp", "slipway/hello:local", "-a", "/from/.", "/to/")).ShouldSucceed();
        (await Docker.RunAsync("volume", "rm", $"{d.DeploymentId}_store")).ShouldSucceed();
        Assert.True(File.Exists(Path.Combine(first, "log")), "removing a bind volume touched its folder");
        await d.RunAsync("start");
        Assert.Equal("started\nstarted\n", await File.ReadAllTextAsync(Path.Combine(second, "log")));
        Assert.DoesNotContain("in use;", (await d.RunAsync("plan")).AllOutput);
    }

    [Fact]
    public async Task A_moved_deployment_directory_never_mounts_or_names_the_folder_it_was_created_in()
    {
        Assert.Contains("built slipway/hello:local", fixture.HelloBuild.StandardError);
        await using var ws = new Workspace();
        var spec = await ws.InitAsync(Stack, "spec.yml");
        SetVolume(spec, "./data/store");
        var d = await ws.CreateAsync(spec, "d");
        await d.RunAsync("start");
        await d.RunAsync("stop");

        // mv D D2, then a new deployment at the old path: its folder must stay its own.
        var moved = ws.Combine("d2");
        Directory.Move(d.Directory, moved);
        ws.Track(moved);
        var other = await ws.CreateAsync(spec, "d");
        Assert.NotEqual(d.DeploymentId, other.DeploymentId);
        await File.WriteAllTextAsync(other.File("data", "store", "other"), "other deployment's data\n");

        var start = await SlipwayCommand.RunAsync(Cli.ExitCodes.Conflict, "deployment", "--dir", moved, "start");
        Assert.Contains($"{moved} was moved or renamed: it was rendered in {d.Directory}", start.AllOutput);
        Assert.Contains($"volume 'store' (spec path ./data/store) to {d.File("data", "store")}", start.AllOutput);
        Assert.Contains("deploy create --update", start.AllOutput);
        Assert.False(File.Exists(other.File("data", "store", "log")), "the moved D mounted the other deployment's folder");
        var plan = await SlipwayCommand.RunAsync("deployment", "--dir", moved, "plan");
        Assert.Contains($"host directory {d.File("data", "store")} (in use; D declares host directory {Path.Combine(moved, "data", "store")} for its relative path ./data/store (D was moved): start refuses", plan.AllOutput);

        var stop = await SlipwayCommand.RunAsync("deployment", "--dir", moved, "stop", "--delete-volumes");
        Assert.Contains($"kept host-path data: {Path.Combine(moved, "data", "store")}", stop.AllOutput);
        Assert.DoesNotContain(d.File("data", "store"), stop.AllOutput.Replace(Path.Combine(moved, "data", "store"), "", StringComparison.Ordinal));

        // Re-rendered where it is now, the moved D starts on its own data.
        await SlipwayCommand.RunAsync("deploy", "create", "--update", "--spec-file", spec, "--deployment-dir", moved);
        await SlipwayCommand.RunAsync("deployment", "--dir", moved, "start");
        Assert.Equal("started\nstarted\n", await File.ReadAllTextAsync(Path.Combine(moved, "data", "store", "log")));
        Assert.Equal(["other"], Directory.GetFiles(other.File("data", "store")).Select(Path.GetFileName));
        await SlipwayCommand.RunAsync("deployment", "--dir", moved, "stop");
    }

    /// <summary>Sets the spec's <c>store</c> volume: empty for a named volume, else a host path.</summary>
    internal static void SetVolume(string spec, string path)
    {
        var text = File.ReadAllText(spec);
        Assert.True(StoreLine().IsMatch(text), $"the spec has no 'store' volume line:\n{text}");
        File.WriteAllText(spec, StoreLine().Replace(text, path.Length == 0 ? "  store:" : $"  store: \"{path}\""));
    }

    [GeneratedRegex(@"^  store:.*$", RegexOptions.Multiline)]
    private static partial Regex StoreLine();
}
