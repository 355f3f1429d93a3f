using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Rendering.Kubernetes;
using Slipway.Infrastructure.Files;

namespace Slipway.Infrastructure.Deployments;

/// <summary>What an update did to each file, for the summary and for tests.</summary>
public sealed record UpdateReport(IReadOnlyList<string> Added, IReadOnlyList<string> Changed, IReadOnlyList<string> Unchanged, IReadOnlyList<string> BackedUp);

/// <summary>Applies a <see cref="RenderedDeployment"/> to disk: a fresh directory, or an update that keeps .bak copies.</summary>
internal static class DeploymentWriter
{
    private const UnixFileMode SecretMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode ExecutableMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>
    /// Writes everything into a temporary sibling of <paramref name="directory"/> and renames it into place,
    /// so a failure leaves nothing behind. <paramref name="deploymentFile"/> and <paramref name="configHashKey"/> are
    /// written only here, never on update.
    /// </summary>
    public static void WriteNew(string directory, RenderedDeployment rendered, DeploymentFile deploymentFile, byte[] configHashKey)
    {
        directory = Path.GetFullPath(directory);
        var parent = Path.GetDirectoryName(directory)!;
        if (!Directory.Exists(parent))
        {
            throw new SlipwayException(FailureReason.PathMissing, $"the parent folder {parent} of the deployment directory does not exist", $"create it first (mkdir -p {parent}), or choose another --deployment-dir");
        }

        var staging = Path.Combine(parent, $".{Path.GetFileName(directory)}.creating-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(staging);
            foreach (var file in rendered.Files)
            {
                WriteFile(Path.Combine(staging, file.RelativePath), file);
            }

            AtomicFile.WriteText(Path.Combine(staging, DeploymentLayout.DeploymentFileName), deploymentFile.Render());
            WriteConfigHashKey(staging, configHashKey);
            Directory.CreateDirectory(Path.Combine(staging, DeploymentLayout.OverridesFolder));
            Directory.CreateDirectory(Path.Combine(staging, DeploymentLayout.StateFolder, "logs"));
            AtomicFile.WriteText(new DeploymentLayout(staging).CreatedIn, directory + "\n");
            FixFolderModes(staging);
            Directory.Move(staging, directory);
        }
        catch
        {
            TryDeleteTree(staging);
            throw;
        }

        try
        {
            CreateVolumeDirectories(rendered);
        }
        catch
        {
            // A fresh create that fails leaves nothing behind, volume folders included.
            TryDeleteTree(directory);
            throw;
        }
    }

    /// <summary>
    /// Re-renders into an existing D: a changed file is renamed to <c>.bak</c> first, unchanged files are not touched,
    /// new files are added; data/, overrides/, deployment.yml and .slipway/ are never written. Files the stack no
    /// longer has are left in place (and reported by the caller).
    /// </summary>
    public static UpdateReport WriteUpdate(string directory, RenderedDeployment rendered)
    {
        var added = new List<string>();
        var changed = new List<string>();
        var unchanged = new List<string>();
        var backedUp = new List<string>();
        foreach (var file in rendered.Files)
        {
            if (DeploymentLayout.IsProtected(file.RelativePath)) continue;
            var path = Path.Combine(directory, file.RelativePath);
            if (!File.Exists(path))
            {
                WriteFile(path, file);
                added.Add(file.RelativePath);
                continue;
            }

            if (File.ReadAllBytes(path).AsSpan().SequenceEqual(file.Content))
            {
                unchanged.Add(file.RelativePath);
                continue;
            }

            File.Move(path, path + ".bak", overwrite: true);
            backedUp.Add(file.RelativePath + ".bak");
            WriteFile(path, file);
            changed.Add(file.RelativePath);
        }

        RemoveStaleSwarmSecrets(directory, rendered);
        Directory.CreateDirectory(Path.Combine(directory, DeploymentLayout.OverridesFolder));
        Directory.CreateDirectory(Path.Combine(directory, DeploymentLayout.StateFolder, "logs"));

        // The files were just rendered for where D is now.
        AtomicFile.WriteText(new DeploymentLayout(directory).CreatedIn, Path.GetFullPath(directory) + "\n");
        CreateVolumeDirectories(rendered);
        return new UpdateReport(added, changed, unchanged, backedUp);
    }

    /// <summary>
    /// D/hooks holds copies of the stack's commands.py modules (start() is loaded from them): a copy the render no longer
    /// has (a module gone, or one module where there were several) is deleted, so a start never runs a stale hook.
    /// </summary>
    public static void RemoveStaleHookCopies(string directory, RenderedDeployment rendered)
    {
        var folder = Path.Combine(directory, Core.Stacks.PythonHooks.DeploymentFolder);
        if (!Directory.Exists(folder)) return;
        var wanted = rendered.Files.Select(f => f.RelativePath).ToHashSet(StringComparer.Ordinal);
        foreach (var name in Core.Stacks.PythonHooks.OrderCopies(Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>()))
        {
            if (!wanted.Contains($"{Core.Stacks.PythonHooks.DeploymentFolder}/{name}")) File.Delete(Path.Combine(folder, name));
        }
    }

    /// <summary>
    /// D/swarm/secrets is rendered whole (one file per secret version, named by its content): a version the render no
    /// longer names is deleted, so old secret values do not pile up in D (the revisions that use one keep their copy).
    /// </summary>
    private static void RemoveStaleSwarmSecrets(string directory, RenderedDeployment rendered)
    {
        var folder = Path.Combine(directory, Core.Rendering.Swarm.SwarmStackRenderer.SecretsFolder);
        if (!Directory.Exists(folder)) return;
        var wanted = rendered.Files.Select(f => f.RelativePath).ToHashSet(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            if (!wanted.Contains(Path.GetRelativePath(directory, file).Replace('\\', '/'))) File.Delete(file);
        }
    }

    /// <summary>
    /// D/chart is rendered whole: when the new chart differs from D's in any file (or in its file list), D's moves to
    /// chart.bak/ so no stale or .bak file is left among the templates (Helm would render those too).
    /// </summary>
    public static void SetAsideChangedChart(string directory, RenderedDeployment rendered)
    {
        var chart = Path.Combine(directory, HelmChart.Folder);
        if (!Directory.Exists(chart)) return;
        var files = rendered.Files.Where(f => f.RelativePath.StartsWith(HelmChart.Folder + "/", StringComparison.Ordinal)).ToList();
        var onDisk = Directory.GetFiles(chart, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(directory, p).Replace('\\', '/')).Order(StringComparer.Ordinal);
        var same = onDisk.SequenceEqual(files.Select(f => f.RelativePath).Order(StringComparer.Ordinal))
            && files.All(f => File.ReadAllBytes(Path.Combine(directory, f.RelativePath)).AsSpan().SequenceEqual(f.Content));
        if (same) return;
        var bak = chart + ".bak";
        if (Directory.Exists(bak)) Directory.Delete(bak, recursive: true);
        Directory.Move(chart, bak);
    }

    /// <summary>Writes the config hash key, owner-only; for a deployment directory made before it existed.</summary>
    public static void WriteConfigHashKey(string directory, byte[] key) =>
        AtomicFile.Write(new DeploymentLayout(directory).ConfigHashKey, key, SecretMode);

    /// <summary>Every folder of a new D 0755, whatever the caller's umask: never writable by other users.</summary>
    private static void FixFolderModes(string root)
    {
        if (OperatingSystem.IsWindows()) return;
        const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(root, Folder);
        foreach (var folder in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories)) File.SetUnixFileMode(folder, Folder);
    }

    private static void WriteFile(string path, RenderedFile file) =>
        AtomicFile.Write(path, file.Content, file.Secret ? SecretMode : file.Executable ? ExecutableMode : null);

    /// <summary>Creates host-path volume folders and seeds empty ones from the stack's config folder of the same name.</summary>
    private static void CreateVolumeDirectories(RenderedDeployment rendered)
    {
        foreach (var directory in rendered.Directories)
        {
            // The folders this makes get 0755 whatever the umask (the first missing ancestor down to the volume).
            var first = directory;
            while (Path.GetDirectoryName(first) is { } parent && !Directory.Exists(parent)) first = parent;
            var existed = Directory.Exists(first);
            Directory.CreateDirectory(directory);
            if (!existed) FixFolderModes(first);
        }

        foreach (var seed in rendered.Seeds)
        {
            if (!Directory.Exists(seed.TargetDirectory) || Directory.EnumerateFileSystemEntries(seed.TargetDirectory).Any()) continue;
            foreach (var source in Directory.EnumerateFiles(seed.SourceDirectory, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(seed.TargetDirectory, Path.GetRelativePath(seed.SourceDirectory, source));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(source, target);
            }
        }
    }

    private static void TryDeleteTree(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
