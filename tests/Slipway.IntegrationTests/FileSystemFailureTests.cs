using System.Diagnostics;
using Slipway.IntegrationTests.Infrastructure;
using Slipway.IntegrationTests.Pipeline;

namespace Slipway.IntegrationTests;

/// <summary>
/// File-system failures are the operator's to fix: each has its own exit code, plain words (the real binary, so its
/// own message resources) and a hint; none is an internal error.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class FileSystemFailureTests
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
