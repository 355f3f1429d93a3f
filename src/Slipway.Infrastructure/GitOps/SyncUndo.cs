using Slipway.Core.Deployments;

namespace Slipway.Infrastructure.GitOps;

/// <summary>
/// restart's sync is staged: D's files (all but data/, overrides/, deployment.yml and .slipway/, which a sync never
/// writes) are copied aside before the sync writes, and put back exactly, .bak copies included, when the synced D is
/// refused (a placeholder, a missing key, a bad spec). Accepted, the copy is deleted.
/// </summary>
internal sealed class SyncUndo : IDisposable
{
    private readonly string _directory;
    private readonly string _copy;
    private readonly HashSet<string> _files;
    private readonly HashSet<string> _folders;

    private SyncUndo(string directory, string copy, HashSet<string> files, HashSet<string> folders)
    {
        _directory = directory;
        _copy = copy;
        _files = files;
        _folders = folders;
    }

    public static SyncUndo Take(DeploymentLayout layout)
    {
        var copy = Path.Combine(layout.State, $"sync-undo-{Guid.NewGuid():N}");
        var (files, folders) = Scan(layout.Directory);
        try
        {
            foreach (var file in files)
            {
                var target = Path.Combine(copy, file);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(Path.Combine(layout.Directory, file), target);
            }
        }
        catch
        {
            if (Directory.Exists(copy)) Directory.Delete(copy, recursive: true);
            throw;
        }

        return new SyncUndo(layout.Directory, copy, files, folders);
    }

    /// <summary>True when D's files differ from the copy (a sync wrote something).</summary>
    public bool Changed()
    {
        var (now, _) = Scan(_directory);
        return !now.SetEquals(_files) || _files.Any(f => !File.ReadAllBytes(Path.Combine(_directory, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(_copy, f))));
    }

    /// <summary>Makes D's files what they were when the copy was taken: files added since are removed, the others copied back with their modes.</summary>
    public void Restore()
    {
        var (now, folders) = Scan(_directory);
        foreach (var file in now.Where(f => !_files.Contains(f))) File.Delete(Path.Combine(_directory, file));
        foreach (var file in _files)
        {
            var target = Path.Combine(_directory, file);
            var source = Path.Combine(_copy, file);
            var unix = !OperatingSystem.IsWindows();
            if (File.Exists(target) && File.ReadAllBytes(target).AsSpan().SequenceEqual(File.ReadAllBytes(source))
                && (!unix || File.GetUnixFileMode(target) == File.GetUnixFileMode(source)))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target, overwrite: true);
            if (unix) File.SetUnixFileMode(target, File.GetUnixFileMode(source));
        }

        // Folders the sync made (deepest first) go when empty.
        foreach (var folder in folders.Where(f => !_folders.Contains(f)).OrderByDescending(f => f.Length))
        {
            var path = Path.Combine(_directory, folder);
            if (Directory.Exists(path) && !Directory.EnumerateFileSystemEntries(path).Any()) Directory.Delete(path);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_copy)) Directory.Delete(_copy, recursive: true);
    }

    private static (HashSet<string> Files, HashSet<string> Folders) Scan(string directory)
    {
        var files = new HashSet<string>(StringComparer.Ordinal);
        var folders = new HashSet<string>(StringComparer.Ordinal);
        // Top level first, so data/ (the operator's data, maybe large) is never walked.
        foreach (var top in Directory.EnumerateFileSystemEntries(directory))
        {
            if (DeploymentLayout.IsProtected(Path.GetFileName(top))) continue;
            if (!Directory.Exists(top))
            {
                files.Add(Path.GetFileName(top));
                continue;
            }

            folders.Add(Path.GetFileName(top));
            foreach (var entry in Directory.EnumerateFileSystemEntries(top, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(directory, entry).Replace('\\', '/');
                if (Directory.Exists(entry)) folders.Add(relative);
                else files.Add(relative);
            }
        }

        return (files, folders);
    }
}
