using System.Diagnostics;
using Slipway.IntegrationTests.Infrastructure;
using Slipway.IntegrationTests.Pipeline;

namespace Slipway.IntegrationTests;

/// <summary>
/// File-system failures are the operator's to fix: each has its own exit code, plain words (the real binary, so its
/// own message resources) and a hint; none is an internal error.
/// </summary>
[Collection(SideBySideCollection.Name)]
public sealed class FileSystemFailureTests(DockerFixture fixture)
{
    [Fact]
    public async Task Create_under_a_missing_parent_folder_is_PathMissing_with_a_hint()
    {
        await using var ws = new Workspace();
        var spec = await ws.InitAsync(Paths.HelloStack, "hello-spec.yml");

        var (exit, output) = await ChildCli.RunToEndAsync("deploy", "create", "--spec-file", spec, "--deployment-dir", ws.Combine("missing", "parent", "D"));

        Assert.True(exit == Cli.ExitCodes.PathMissing, output);
        Assert.Contains("parent folder", output);
        Assert.Contains("hint: create it first", output);
        AssertPlainWords(output);
    }

    [Fact]
    public async Task Create_where_writing_is_not_permitted_is_PermissionDenied_in_plain_words()
    {
        await using var ws = new Workspace();
        var spec = await ws.InitAsync(Paths.HelloStack, "hello-spec.yml");

        // sysfs refuses a new folder even to root: the one "permission denied" a root test run can rely on.
        var (exit, output) = await ChildCli.RunToEndAsync("deploy", "create", "--spec-file", spec, "--deployment-dir", "/sys/slipway-test-D");

        Assert.True(exit == Cli.ExitCodes.PermissionDenied, output);
        Assert.Contains("Access to the path", output);
        Assert.Contains("hint:", output);
        AssertPlainWords(output);
    }

    [Fact]
    public async Task Create_on_a_full_disk_is_NoSpace_and_leaves_nothing_behind()
    {
        await using var ws = new Workspace();
        var spec = await ws.InitAsync(Paths.HelloStack, "hello-spec.yml");
        var full = ws.Combine("full");
        Directory.CreateDirectory(full);
        await Run("mount", "-t", "tmpfs", "-o", "size=16k", "slipway-test-full", full);
        try
        {
            await Fill(Path.Combine(full, "filler"));

            var (exit, output) = await ChildCli.RunToEndAsync("deploy", "create", "--spec-file", spec, "--deployment-dir", Path.Combine(full, "D"));

            Assert.True(exit == Cli.ExitCodes.NoSpace, output);
            Assert.Contains("No space left on device", output);
            Assert.Contains("hint: free space", output);
            AssertPlainWords(output);
            Assert.Equal(["filler"], Directory.GetFileSystemEntries(full).Select(Path.GetFileName));
        }
        finally
        {
            await Run("umount", full);
        }
    }

    [Fact]
    public async Task A_disk_full_at_record_says_the_new_version_is_live_but_unrecorded_leaves_no_temp_file_and_resume_records_it()
    {
        Assert.Contains("built slipway/hello:local", fixture.HelloBuild.StandardError);
        await using var ws = new Workspace();
        // web turns healthy READY_AFTER seconds after it starts: time to fill the disk while verify waits for it.
        var spec = await ws.InitAsync(Runs.RunStacks.Pipeline, "spec.yml", "--config", "READY_AFTER=6,START_PERIOD=120s", "--map-ports-to-host", "localhost-fixed-random");
        var full = ws.Combine("full");
        Directory.CreateDirectory(full);
        await Run("mount", "-t", "tmpfs", "-o", "size=4m", "slipway-test-record", full);
        TestDeployment? d = null;
        try
        {
            d = await ws.CreateAsync(spec, Path.Combine("full", "d"));
            using var cli = ChildCli.Start("deployment", "--dir", d.Directory, "start");
            await cli.WaitForStageAsync(d.Directory, "verify", TimeSpan.FromMinutes(2));
            var filler = Path.Combine(full, "filler");
            await Fill(filler);

            var exit = await cli.WaitForExitAsync(TimeSpan.FromMinutes(2));
            var output = cli.Output;
            Assert.True(exit == Cli.ExitCodes.NoSpace, output);
            Assert.Contains("start stopped at stage record: No space left on device", output);
            Assert.Contains("the new version is live and verified healthy, but not recorded as a revision", output);
            Assert.Contains($"hint: free space on the file system holding {d.Directory} (df -h {d.Directory}), then 'slipway deployment --dir {d.Directory} resume' finishes the run from stage record", output);
            AssertPlainWords(output);
            var temporary = Directory.EnumerateFileSystemEntries(d.Directory, "*", SearchOption.AllDirectories)
                .Where(p => p.Contains(".tmp-", StringComparison.Ordinal) || p.Contains(".recording-", StringComparison.Ordinal)).ToList();
            Assert.True(temporary.Count == 0, "temporary files left behind: " + string.Join(", ", temporary));
            Assert.False(File.Exists(d.File(".slipway", "lock")), "the lock must be released");
            Assert.Empty((await d.RunAsync("history", "--output", "json")).StandardOutput.Trim().Trim('[', ']').Trim());
            Assert.Contains("interrupted", (await d.RunAsync("diagnose")).StandardOutput);
            Assert.Equal("running", (await d.StatusAsync()).Single(s => s.Service == "web").State);

            File.Delete(filler);
            var resume = await d.RunAsync("resume");
            Assert.Contains("succeeded: revision 1", resume.StandardError);
            Assert.Contains("good", (await d.RunAsync("history")).StandardOutput);
        }
        finally
        {
            if (d is not null) await Docker.RunAsync("compose", "--project-name", d.DeploymentId, "down", "--volumes", "--remove-orphans", "--timeout", "0");
            await Run("umount", full);
        }
    }

    [Fact]
    public async Task A_missing_spec_file_is_named_in_plain_words_by_the_real_binary()
    {
        await using var ws = new Workspace();

        var (exit, output) = await ChildCli.RunToEndAsync("deploy", "create", "--spec-file", ws.Combine("nope.yml"), "--deployment-dir", ws.Combine("D"));

        Assert.True(exit == Cli.ExitCodes.NotFound, output);
        AssertPlainWords(output);
    }

    /// <summary>No raw .NET resource key (IO_FileNotFound_FileName, Arg_InvalidOperationException...) and no internal error.</summary>
    internal static void AssertPlainWords(string output)
    {
        Assert.DoesNotMatch(@"\b[A-Z][A-Za-z]+_[A-Z][A-Za-z_]+\b", output);
        Assert.DoesNotContain("internal error", output);
    }

    private static async Task Fill(string path)
    {
        await using var filler = File.Create(path);
        try
        {
            while (true) await filler.WriteAsync(new byte[4096]);
        }
        catch (IOException)
        {
            // full
        }
    }

    private static async Task Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)}: {error}");
    }
}
