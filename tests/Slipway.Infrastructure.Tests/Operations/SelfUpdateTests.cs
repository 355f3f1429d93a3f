using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Operations;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Tests.Operations;

/// <summary>
/// <c>slipway update</c> against releases served from 127.0.0.1 by the test: an installed build folder (its slipway a
/// script saying its version) replaced by a downloaded one, or left alone when the download is not right.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SelfUpdateTests : IDisposable
{
    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly TempWorkspace _workspace = new();
    private readonly LocalHttpServer _server = new();

    public SelfUpdateTests()
    {
        Build(Install, "slipway 0.1.0", "old");
    }

    public void Dispose()
    {
        _server.Dispose();
        _workspace.Dispose();
    }

    private string Install => _workspace.Combine("opt", "slipway");

    private string Home => _workspace.Combine("home");

    /// <summary>A build folder whose slipway prints <paramref name="version"/> for 'version', with a marker file.</summary>
    private static void Build(string folder, string version, string marker)
    {
        Directory.CreateDirectory(folder);
        var binary = Path.Combine(folder, "slipway");
        File.WriteAllText(binary, $"#!/bin/sh\necho '{version}'\n");
        File.SetUnixFileMode(binary, Executable);
        File.WriteAllText(Path.Combine(folder, "marker.txt"), marker);
    }

    /// <summary>A .tar.gz of a build folder, its files at the top.</summary>
    private byte[] Release(string version, string marker)
    {
        var folder = _workspace.Combine("release-" + Guid.NewGuid().ToString("N"));
        Build(folder, version, marker);
        using var bytes = new MemoryStream();
        using (var gzip = new GZipStream(bytes, CompressionLevel.Fastest, leaveOpen: true))
        {
            TarFile.CreateFromDirectory(folder, gzip, includeBaseDirectory: false);
        }

        return bytes.ToArray();
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private void Config(string text, string file = SelfUpdate.ConfigFile) => _workspace.WriteFile(Path.Combine("home", file), text);

    private Task<SelfUpdateResult> RunAsync(bool checkOnly = false, bool rollback = false)
    {
        var env = TestEnvironment.Create(_workspace.Path, new SystemProcessRunner()) with { HomeDirectory = Home, InstallDirectory = Install };
        return new SelfUpdate(env).RunAsync(new SelfUpdateRequest("0.1.0", checkOnly, rollback), CancellationToken.None);
    }

    /// <summary>Every file under opt/ (the install, its .previous, any staging folder), with its content.</summary>
    private Dictionary<string, string> Installed() =>
        Directory.EnumerateFiles(_workspace.Combine("opt"), "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(_workspace.Combine("opt"), f), File.ReadAllText);

    [Fact]
    public async Task Check_only_says_the_current_and_the_available_version_from_laconic_sos_config_and_changes_nothing()
    {
        var release = Release("slipway 0.2.0", "new");
        _server.Serve("/slipway.tar.gz", release);
        _server.Serve("/slipway.tar.gz.sha256", System.Text.Encoding.ASCII.GetBytes(Sha(release) + "  slipway.tar.gz\n"));
        Config($"distribution-url: {_server.Url}/slipway.tar.gz\n", SelfUpdate.LaconicConfigFile);
        var before = Installed();

        var result = await RunAsync(checkOnly: true);

        Assert.Equal(("0.1.0", "0.2.0", false), (result.Current, result.Available, result.Changed));
        Assert.Equal(new Uri($"{_server.Url}/slipway.tar.gz"), result.Url);
        Assert.Equal(before, Installed());
    }

    [Fact]
    public async Task Update_puts_the_checked_release_in_place_keeps_the_old_build_and_rollback_trades_them_back()
    {
        var release = Release("slipway 0.2.0", "new");
        _server.Serve("/r/slipway.tar.gz", release);
        Config($"distribution-url: {_server.Url}/r/slipway.tar.gz\ndistribution-sha256: {Sha(release).ToUpperInvariant()}\n");

        var update = await RunAsync();
        var afterUpdate = Installed();
        var rollback = await RunAsync(rollback: true);

        Assert.True(update.Changed);
        Assert.Equal(Install + ".previous", update.Previous);
        Assert.Equal(new Dictionary<string, string>
        {
            ["slipway/slipway"] = "#!/bin/sh\necho 'slipway 0.2.0'\n",
            ["slipway/marker.txt"] = "new",
            ["slipway.previous/slipway"] = "#!/bin/sh\necho 'slipway 0.1.0'\n",
            ["slipway.previous/marker.txt"] = "old",
        }, afterUpdate);
        Assert.True(File.GetUnixFileMode(Path.Combine(Install, "slipway")).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal("0.1.0", rollback.Available);
        Assert.Equal("old", File.ReadAllText(Path.Combine(Install, "marker.txt")));
        Assert.Equal("new", File.ReadAllText(Path.Combine(Install + ".previous", "marker.txt")));
    }

    [Fact]
    public async Task A_download_whose_checksum_is_wrong_is_refused_and_nothing_changes()
    {
        var release = Release("slipway 0.2.0", "new");
        _server.Serve("/slipway.tar.gz", release);
        _server.Serve("/slipway.tar.gz.sha256", System.Text.Encoding.ASCII.GetBytes(Sha([1, 2, 3]) + "\n"));
        Config($"distribution-url: {_server.Url}/slipway.tar.gz\n");
        var before = Installed();

        var error = await Assert.ThrowsAsync<SlipwayException>(() => RunAsync());

        Assert.Equal(FailureReason.InvalidInput, error.Reason);
        Assert.Contains($"has SHA-256 {Sha(release)}, not the expected {Sha([1, 2, 3])} (from {_server.Url}/slipway.tar.gz.sha256); nothing was changed", error.Message);
        Assert.Equal(before, Installed());
    }

    [Fact]
    public async Task A_download_that_is_not_a_slipway_build_is_refused_after_running_its_version_and_nothing_changes()
    {
        var laconic = System.Text.Encoding.ASCII.GetBytes("#!/bin/sh\necho 'v1.1.0-abc1234-202605111200'\n");
        _server.Serve("/laconic-so", laconic);
        Config($"distribution-url: {_server.Url}/laconic-so\ndistribution-sha256: {Sha(laconic)}\n");
        var before = Installed();

        var error = await Assert.ThrowsAsync<SlipwayException>(() => RunAsync());

        Assert.Equal(FailureReason.InvalidInput, error.Reason);
        Assert.Contains("is not a Slipway build: its 'slipway version' printed 'v1.1.0-abc1234-202605111200', not 'slipway VERSION'; nothing was changed", error.Message);
        Assert.Equal(before, Installed());
    }

    [Fact]
    public async Task The_same_version_is_not_installed_again_and_without_a_config_update_says_what_to_write()
    {
        var missing = await Assert.ThrowsAsync<SlipwayException>(() => RunAsync(checkOnly: true));
        var release = Release("slipway 0.1.0", "same");
        _server.Serve("/slipway.tar.gz", release);
        Config($"distribution-url: {_server.Url}/slipway.tar.gz\ndistribution-sha256: {Sha(release)}\n");

        var same = await RunAsync();

        Assert.Equal(FailureReason.NotFound, missing.Reason);
        Assert.Contains($"write {Path.Combine(Home, SelfUpdate.ConfigFile)} with 'distribution-url: https://", missing.Hint);
        Assert.False(same.Changed);
        Assert.Equal("old", File.ReadAllText(Path.Combine(Install, "marker.txt")));
        Assert.False(Directory.Exists(Install + ".previous"));
    }

    [Fact]
    public async Task A_plain_http_url_to_another_host_is_an_error_at_its_line()
    {
        Config("# where releases are\ndistribution-url: http://releases.example.com/slipway.tar.gz\n");

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => RunAsync(checkOnly: true));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal(2, diagnostic.Location!.Line);
        Assert.Contains("is plain http to releases.example.com", diagnostic.Message);
    }
}
