using Slipway.Core.Kubernetes;

namespace Slipway.Infrastructure.Files;

/// <summary>The renderer's view of host files, from the disk. Contents are read only when the renderer asks (after its size checks).</summary>
public sealed class DiskHostFiles : IHostFiles
{
    public HostPathEntry Stat(string absolutePath)
    {
        if (File.Exists(absolutePath))
        {
            return new HostPathEntry(HostPathKind.File, File: Describe(new FileInfo(absolutePath)));
        }

        if (!Directory.Exists(absolutePath)) return HostPathEntry.Missing;
        var directory = new DirectoryInfo(absolutePath);
        var files = directory.EnumerateFiles().OrderBy(f => f.Name, StringComparer.Ordinal).Select(Describe).ToList();
        var subdirectories = directory.EnumerateDirectories().Select(d => d.Name).Order(StringComparer.Ordinal).ToList();
        return new HostPathEntry(HostPathKind.Directory, Files: files, Subdirectories: subdirectories);
    }

    private static HostFile Describe(FileInfo file) =>
        new(file.Name, file.Length, !OperatingSystem.IsWindows() && (file.UnixFileMode & UnixFileMode.UserExecute) != 0, () => File.ReadAllBytes(file.FullName));
}
