namespace Slipway.Core.Kubernetes;

/// <summary>One file the renderer may copy into a ConfigMap: its size first, so over-budget sources are refused unread.</summary>
public sealed record HostFile(string Name, long Size, bool Executable, Func<byte[]> Read);

/// <summary>What a host path is: missing, a file, or a directory with its top-level files and whether it has subdirectories.</summary>
public sealed record HostPathEntry(HostPathKind Kind, HostFile? File = null, IReadOnlyList<HostFile>? Files = null, IReadOnlyList<string>? Subdirectories = null)
{
    public static readonly HostPathEntry Missing = new(HostPathKind.Missing);
}

public enum HostPathKind
{
    Missing,
    File,
    Directory,
}

/// <summary>
/// The renderer's only window on the host's files (host-path binds, spec configmap sources, compose env files):
/// Infrastructure reads the disk, tests give a dictionary. Paths are absolute.
/// </summary>
public interface IHostFiles
{
    HostPathEntry Stat(string absolutePath);
}

/// <summary>Host files from memory, for tests and benchmarks: files by absolute path; directories are implied by them.</summary>
public sealed class InMemoryHostFiles(IReadOnlyDictionary<string, byte[]> files, IReadOnlySet<string>? executables = null) : IHostFiles
{
    public HostPathEntry Stat(string absolutePath)
    {
        absolutePath = absolutePath.TrimEnd('/');
        if (files.TryGetValue(absolutePath, out var content))
        {
            return new HostPathEntry(HostPathKind.File, File: Make(absolutePath, content));
        }

        var prefix = absolutePath + "/";
        var below = files.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Select(k => k[prefix.Length..]).ToList();
        if (below.Count == 0) return HostPathEntry.Missing;
        var top = below.Where(k => !k.Contains('/')).Order(StringComparer.Ordinal).Select(k => Make(prefix + k, files[prefix + k])).ToList();
        var subdirectories = below.Where(k => k.Contains('/')).Select(k => k[..k.IndexOf('/')]).Distinct().Order(StringComparer.Ordinal).ToList();
        return new HostPathEntry(HostPathKind.Directory, Files: top, Subdirectories: subdirectories);
    }

    private HostFile Make(string path, byte[] content) =>
        new(Path.GetFileName(path), content.Length, executables?.Contains(path) ?? false, () => content);
}
