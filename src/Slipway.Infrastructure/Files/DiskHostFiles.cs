using Slipway.Core.Files;

namespace Slipway.Infrastructure.Files;

/// <summary>Core's view of host files, from the disk. Contents are read only when Core asks (after its size checks).</summary>
internal sealed class DiskHostFiles : IHostFiles
{
    public bool FileExists(string path) => File.Exists(path);

    public bool DirectoryExists(string path) => Directory.Exists(path);

    public byte[] ReadBytes(string path) => File.ReadAllBytes(path);

    public string ReadText(string path) => InputFile.ReadText(path);

    public bool IsExecutable(string path) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0;

    public IReadOnlyList<string> FilesUnder(string directory)
    {
        var found = new List<string>();
        var pending = new Stack<string>([directory]);
        while (pending.Count > 0)
        {
            foreach (var entry in new DirectoryInfo(pending.Pop()).EnumerateFileSystemInfos())
            {
                // A linked folder is listed, not entered: its target may be anywhere on the host.
                if (entry.LinkTarget is null && entry is DirectoryInfo sub) pending.Push(sub.FullName);
                else found.Add(entry.FullName);
            }
        }

        return found;
    }

    public string? LinkTarget(string path) => new FileInfo(path).LinkTarget;

    public bool IsPrivate(string path) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) == 0;

    public HostPathEntry Stat(string path)
    {
        if (File.Exists(path))
        {
            return new HostPathEntry(HostPathKind.File, File: Describe(new FileInfo(path)));
        }

        if (!Directory.Exists(path)) return HostPathEntry.Missing;
        var directory = new DirectoryInfo(path);
        var files = directory.EnumerateFiles().OrderBy(f => f.Name, StringComparer.Ordinal).Select(Describe).ToList();
        var subdirectories = directory.EnumerateDirectories().Select(d => d.Name).Order(StringComparer.Ordinal).ToList();
        return new HostPathEntry(HostPathKind.Directory, Files: files, Subdirectories: subdirectories);
    }

    private static HostFile Describe(FileInfo file) =>
        new(file.Name, file.Length, !OperatingSystem.IsWindows() && (file.UnixFileMode & UnixFileMode.UserExecute) != 0, () => File.ReadAllBytes(file.FullName));
}
