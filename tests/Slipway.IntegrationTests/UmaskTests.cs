using System.Diagnostics;
using Slipway.IntegrationTests.Infrastructure;

namespace Slipway.IntegrationTests;

/// <summary>D's modes are Slipway's choice, not the caller's umask: 0600 secrets, 0644 files, 0755 folders.</summary>
[Collection(SideBySideCollection.Name)]
public sealed class UmaskTests
{
    [Fact]
    public async Task Create_under_umask_000_writes_no_world_writable_file_or_folder()
    {
        await using var ws = new Workspace();
        var spec = await ws.InitAsync(Paths.HelloStack, "hello-spec.yml");
        var d = ws.Combine("d");
        ws.Track(d);
        var start = new ProcessStartInfo("sh") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("umask 000; exec dotnet \"$0\" deploy create --spec-file \"$1\" --deployment-dir \"$2\"");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "slipway.dll"));
        start.ArgumentList.Add(spec);
        start.ArgumentList.Add(d);
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, error);

        if (OperatingSystem.IsWindows()) return;
        const UnixFileMode Writable = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
        var entries = Directory.EnumerateFileSystemEntries(d, "*", SearchOption.AllDirectories).Append(d).ToList();
        var writable = new List<string>();
        foreach (var entry in entries)
        {
            if ((File.GetUnixFileMode(entry) & Writable) != 0) writable.Add(entry);
        }

        Assert.True(writable.Count == 0, "group/world-writable under umask 000: " + string.Join(", ", writable));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(d, ".slipway", "config-hash-key")));
    }
}
