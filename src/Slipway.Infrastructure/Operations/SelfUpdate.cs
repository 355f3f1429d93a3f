using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Slipway.Core.Diagnostics;
using Slipway.Core.Distribution;
using Slipway.Infrastructure.Distribution;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Operations;

/// <param name="CurrentVersion">The running Slipway's version (what <c>slipway version</c> prints after "slipway ").</param>
/// <param name="CheckOnly">Download and check the release, say what it is, change nothing.</param>
/// <param name="Rollback">Put <c>&lt;install&gt;.previous</c> back in the place of the install (the two trade places).</param>
public sealed record SelfUpdateRequest(string CurrentVersion, bool CheckOnly = false, bool Rollback = false);

/// <param name="Install">The folder holding the running slipway.</param>
/// <param name="Available">The version the release's own <c>slipway version</c> printed.</param>
/// <param name="Changed">True when the install folder now holds another build.</param>
/// <param name="Previous">Where the build that was installed is kept (after an update or a rollback).</param>
public sealed record SelfUpdateResult(string Install, string Current, string Available, Uri? Url, string? Sha256, bool Changed, string? Previous);

/// <summary>
/// <c>slipway update [--check-only | --rollback]</c>, laconic-so's self-update for a Slipway build folder (the
/// self-contained <c>artifacts/slipway/</c> that <c>./slipway</c> builds, or an unpacked release installed elsewhere).
/// The release named by <c>distribution-url</c> is downloaded next to the install, its SHA-256 checked, unpacked, and
/// its own <c>slipway version</c> run: only a build that says it is Slipway replaces the install, and the old build is
/// kept as <c>&lt;install&gt;.previous</c>. A source checkout is refused: there <c>git pull</c> is the update.
/// </summary>
public sealed class SelfUpdate(SlipwayEnvironment env)
{
    public const string ConfigFile = ".slipway/config.yml";
    public const string LaconicConfigFile = ".laconic-so/config.yml";
    private const string Executable = "slipway";
    private static readonly TimeSpan VersionTimeout = TimeSpan.FromSeconds(60);

    public async Task<SelfUpdateResult> RunAsync(SelfUpdateRequest request, CancellationToken cancellationToken)
    {
        var install = Path.TrimEndingDirectorySeparator(Path.GetFullPath(env.InstallDirectory));
        if (SourceCheckoutOf(install) is { } checkout)
        {
            throw new SlipwayException(FailureReason.Usage,
                $"this slipway runs from the source checkout {checkout} ({install} is ./slipway's build of it); update refuses to replace it",
                $"update the checkout with 'git -C {checkout} pull': ./slipway rebuilds itself when its sources changed");
        }

        if (!File.Exists(Path.Combine(install, Executable)))
        {
            throw new SlipwayException(FailureReason.Usage, $"{install} holds no '{Executable}' executable, so it is not a Slipway build folder update could replace",
                "run the slipway of an unpacked release (or of artifacts/slipway), not the assembly through dotnet");
        }

        if (request.Rollback) return await RollbackAsync(install, request.CurrentVersion, cancellationToken);
        var config = ReadConfig();
        // The download goes next to the install, so that the swap is a rename on one file system; a check stays in /tmp.
        var staging = request.CheckOnly
            ? Directory.CreateTempSubdirectory("slipway-update-").FullName
            : Path.Combine(Path.GetDirectoryName(install)!, $".{Path.GetFileName(install)}.update-{Guid.NewGuid().ToString("N")[..8]}");
        try
        {
            Directory.CreateDirectory(staging);
            var archive = Path.Combine(staging, "download");
            env.Reporter.Info($"downloading {config.Url} (distribution-url in {config.ConfigFile})");
            if (!await env.Downloads.DownloadAsync(config.Url, archive, cancellationToken))
            {
                throw new SlipwayException(FailureReason.NotFound, $"{config.Url} does not exist (404); nothing was changed", $"check distribution-url in {config.ConfigFile}");
            }

            var expected = config.Sha256 ?? await ChecksumBesideAsync(config, cancellationToken);
            var actual = await Sha256Async(archive, cancellationToken);
            if (actual != expected)
            {
                throw new SlipwayException(FailureReason.InvalidInput,
                    $"{config.Url} has SHA-256 {actual}, not the expected {expected}{(config.Sha256 is null ? $" (from {config.Url}.sha256)" : $" (distribution-sha256 in {config.ConfigFile})")}; nothing was changed",
                    "a damaged or replaced download is never installed; check the release and its checksum");
            }

            var build = Unpack(archive, Path.Combine(staging, "build"), config.Url);
            var available = await VersionOfAsync(build, config.Url.ToString(), cancellationToken);
            var result = new SelfUpdateResult(install, request.CurrentVersion, available, config.Url, actual, false, null);
            if (request.CheckOnly || available == request.CurrentVersion) return result;

            InstallSwap.Swap(build, install);
            return result with { Changed = true, Previous = InstallSwap.PreviousOf(install) };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not FileNotFoundException)
        {
            throw new SlipwayException(e is UnauthorizedAccessException ? FailureReason.PermissionDenied : FailureReason.DeploymentFailed,
                $"update could not write beside {install}: {e.Message}; the install was not changed", "run update as the user who owns the install folder (and its parent)", e);
        }
        finally
        {
            TryDelete(staging);
        }
    }

    private async Task<SelfUpdateResult> RollbackAsync(string install, string current, CancellationToken cancellationToken)
    {
        var previous = InstallSwap.PreviousOf(install);
        if (!File.Exists(Path.Combine(previous, Executable)))
        {
            throw new SlipwayException(FailureReason.NotFound, $"there is no previous build to go back to ({previous} holds no slipway)", "update keeps the build it replaced there");
        }

        var version = await VersionOfAsync(previous, previous, cancellationToken);
        // The swap keeps what is installed now as the new .previous: a second rollback undoes the first.
        var incoming = previous + ".rollback";
        Directory.Move(previous, incoming);
        InstallSwap.Swap(incoming, install);
        return new SelfUpdateResult(install, current, version, null, null, true, previous);
    }

    /// <summary>~/.slipway/config.yml, else laconic-so's ~/.laconic-so/config.yml; the first that sets distribution-url.</summary>
    private DistributionConfig ReadConfig()
    {
        var diagnostics = new DiagnosticBag();
        foreach (var (relative, laconic) in new[] { (ConfigFile, false), (LaconicConfigFile, true) })
        {
            var path = Path.Combine(env.HomeDirectory, relative);
            if (!File.Exists(path)) continue;
            var config = DistributionConfig.Parse(File.ReadAllText(path), path, laconic, diagnostics);
            diagnostics.ThrowIfErrors();
            if (config is not null) return config;
        }

        throw new SlipwayException(FailureReason.NotFound,
            $"no distribution-url: neither {Path.Combine(env.HomeDirectory, ConfigFile)} nor laconic-so's {Path.Combine(env.HomeDirectory, LaconicConfigFile)} names the release to update from",
            $"write {Path.Combine(env.HomeDirectory, ConfigFile)} with 'distribution-url: https://.../slipway-linux-x64.tar.gz' (and 'distribution-sha256: HEX', or serve HEX at the URL + .sha256)");
    }

    private async Task<string> ChecksumBesideAsync(DistributionConfig config, CancellationToken cancellationToken)
    {
        var url = new Uri(config.Url + ".sha256");
        var text = await env.Downloads.ReadTextAsync(url, cancellationToken);
        return (text is null ? null : DistributionConfig.ParseChecksumFile(text)) ?? throw new SlipwayException(FailureReason.InvalidInput,
            $"no checksum for {config.Url}: {url} {(text is null ? "does not exist (404)" : "does not start with a SHA-256")}; nothing was changed",
            $"serve the archive's 'sha256sum' output at {url}, or set distribution-sha256 in {config.ConfigFile}");
    }

    private static async Task<string> Sha256Async(string file, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    /// <summary>
    /// A .tar.gz (the build folder's files at its top, or in one folder) is unpacked; one executable (ELF or a script)
    /// becomes a folder holding it as slipway. Returns the folder holding slipway.
    /// </summary>
    private static string Unpack(string archive, string target, Uri url)
    {
        Directory.CreateDirectory(target);
        var head = new byte[4];
        using (var stream = File.OpenRead(archive))
        {
            _ = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        if (head[0] == 0x1f && head[1] == 0x8b)
        {
            try
            {
                using var gzip = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress);
                TarFile.ExtractToDirectory(gzip, target, overwriteFiles: false);
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                throw new SlipwayException(FailureReason.InvalidInput, $"{url} is not a readable .tar.gz: {e.Message}; nothing was changed", inner: e);
            }

            if (File.Exists(Path.Combine(target, Executable))) return target;
            var folders = Directory.GetDirectories(target);
            if (folders.Length == 1 && Directory.GetFiles(target).Length == 0 && File.Exists(Path.Combine(folders[0], Executable))) return folders[0];
            throw new SlipwayException(FailureReason.InvalidInput, $"{url} holds no '{Executable}' at its top (or in its one folder), so it is not a Slipway build; nothing was changed");
        }

        if (head is [0x7f, (byte)'E', (byte)'L', (byte)'F'] || head is [(byte)'#', (byte)'!', ..])
        {
            var binary = Path.Combine(target, Executable);
            File.Move(archive, binary);
            const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(binary, Mode);
            return target;
        }

        throw new SlipwayException(FailureReason.InvalidInput, $"{url} is neither a .tar.gz nor an executable; nothing was changed");
    }

    /// <summary>Runs the build's own <c>slipway version</c>: a build that does not answer "slipway VERSION" is not Slipway.</summary>
    private async Task<string> VersionOfAsync(string build, string what, CancellationToken cancellationToken)
    {
        var binary = Path.Combine(build, Executable);
        ProcessResult result;
        try
        {
            result = await env.Runner.RunAsync(new ProcessSpec(binary, ["version"]) { WorkingDirectory = build, Timeout = VersionTimeout }, cancellationToken);
        }
        catch (ToolNotFoundException e)
        {
            throw new SlipwayException(FailureReason.InvalidInput, $"{what}: its slipway cannot be run ({e.Message}), so it is not a Slipway build for this machine; nothing was changed", inner: e);
        }

        var line = result.StandardOutput.Trim();
        if (result.Succeeded && line.StartsWith("slipway ", StringComparison.Ordinal) && !line.Contains('\n') && line.Length > "slipway ".Length)
        {
            return line["slipway ".Length..];
        }

        throw new SlipwayException(FailureReason.InvalidInput,
            $"{what} is not a Slipway build: its '{Executable} version' {(result.Succeeded ? "" : $"exited {result.ExitCode} and ")}printed '{Shorten(line)}', not 'slipway VERSION'; nothing was changed",
            "distribution-url must name a Slipway release (laconic-so's own binary is not one)");
    }

    private static string Shorten(string text) => text.Length <= 120 ? text.ReplaceLineEndings(" ") : text[..120].ReplaceLineEndings(" ") + "...";

    /// <summary>The Slipway source checkout holding <paramref name="install"/> (its Slipway.slnx), if any.</summary>
    internal static string? SourceCheckoutOf(string install)
    {
        for (var dir = new DirectoryInfo(install); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Slipway.slnx"))) return dir.FullName;
        }

        return null;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A staging folder left behind is harmless (its name says what it is); the result already stands.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
