namespace Slipway.Core.Files;

/// <summary>
/// Core's only window on the disk: stack definitions, compose and config files, host-path binds, env files and volume
/// paths are all read through it, so Core stays pure and every read is visible at its call site. Infrastructure reads
/// the disk (<c>DiskHostFiles</c>). Paths are absolute.
/// </summary>
public interface IHostFiles
{
    bool FileExists(string path);

    bool DirectoryExists(string path);

    byte[] ReadBytes(string path);

    /// <summary>The file as text: UTF-8 unless a byte-order mark says otherwise.</summary>
    string ReadText(string path);

    /// <summary>True when the owner may execute the file (never on Windows).</summary>
    bool IsExecutable(string path);

    /// <summary>
    /// Every file below <paramref name="directory"/>, in all subdirectories, as absolute paths in no particular order.
    /// A symbolic link is listed as itself (file or folder) and never followed.
    /// </summary>
    IReadOnlyList<string> FilesUnder(string directory);

    /// <summary>The target of a symbolic link as written, or null when <paramref name="path"/> is not a link.</summary>
    string? LinkTarget(string path);

    /// <summary>True when only the owner may read the file (group and others have no permission): a key, a secret.</summary>
    bool IsPrivate(string path);

    /// <summary>What a path is, with a directory's top-level files sized but unread (ConfigMap sources are refused over budget unread).</summary>
    HostPathEntry Stat(string path);
}
