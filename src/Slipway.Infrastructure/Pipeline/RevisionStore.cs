using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Files;

namespace Slipway.Infrastructure.Pipeline;

/// <summary>
/// D/.slipway/revisions/&lt;n&gt;/: a snapshot of D's rendered files (everything but data/, overrides/, .slipway/,
/// deployment.yml and .bak copies) in files/, the host-local compose overrides compose applied (D/overrides/*.yml|yaml)
/// in overrides/, and the image pins, so that any recorded revision can be put back. Volumes and host data are never
/// part of a revision.
/// </summary>
public sealed class RevisionStore(DeploymentLayout layout)
{
    /// <summary>Folders of D whose files a restore makes equal to the snapshot (files the snapshot lacks are removed).</summary>
    private static readonly string[] RenderedFolders = ["compose", "compose-jobs", "config", "configmaps", "k8s", "swarm"];

    public string Root => Path.Combine(layout.State, "revisions");

    public string Directory(int number) => Path.Combine(Root, number.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public IReadOnlyList<RevisionRecord> List()
    {
        if (!System.IO.Directory.Exists(Root)) return [];
        var revisions = new List<RevisionRecord>();
        foreach (var dir in System.IO.Directory.EnumerateDirectories(Root))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _) || !File.Exists(Path.Combine(dir, "revision.json"))) continue;
            revisions.Add(Load(dir));
        }

        return revisions.OrderBy(r => r.Number).ToList();
    }

    public RevisionRecord? Find(int number) =>
        File.Exists(Path.Combine(Directory(number), "revision.json")) ? Load(Directory(number)) : null;

    /// <summary>The newest revision verified healthy: what a failed run puts back.</summary>
    public RevisionRecord? LastGood()
    {
        if (!System.IO.Directory.Exists(Root)) return null;
        var numbers = System.IO.Directory.EnumerateDirectories(Root)
            .Select(d => int.TryParse(Path.GetFileName(d), out var n) ? n : (int?)null).OfType<int>().OrderDescending();
        foreach (var number in numbers)
        {
            // Newest first: most runs find the good revision they want in the first file they read.
            if (Find(number) is { Result: RevisionRecord.Good } good) return good;
        }

        return null;
    }

    /// <summary>The files of D a revision holds, relative to D with '/' separators, in ordinal order.</summary>
    public static IReadOnlyList<string> RenderedFiles(DeploymentLayout layout)
    {
        var files = new List<string>();
        foreach (var path in System.IO.Directory.EnumerateFiles(layout.Directory, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(layout.Directory, path).Replace('\\', '/');
            if (DeploymentLayout.IsProtected(relative) || relative.EndsWith(".bak", StringComparison.Ordinal) || relative.Contains(".tmp-", StringComparison.Ordinal)) continue;
            files.Add(relative);
        }

        return files.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Hash over names and contents of D's rendered files plus the pins: what "unchanged" means for record.</summary>
    public static string HashOf(DeploymentLayout layout, IReadOnlyDictionary<string, string> pins)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in RenderedFiles(layout))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file + "\0"));
            hash.AppendData(SHA256.HashData(File.ReadAllBytes(Path.Combine(layout.Directory, file))));
        }

        // An override changes what runs as much as a rendered file does.
        foreach (var file in OverrideFiles(layout))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{DeploymentLayout.OverridesFolder}/{Path.GetFileName(file)}\0"));
            hash.AppendData(SHA256.HashData(File.ReadAllBytes(file)));
        }

        foreach (var (image, reference) in pins.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"pin\0{image}\0{reference}\0"));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>D/overrides/*.yml|yaml: the files compose applies after the pod files (as DeploymentSession reads them), in name order.</summary>
    public static IReadOnlyList<string> OverrideFiles(DeploymentLayout layout) =>
        System.IO.Directory.Exists(layout.OverridesFolderPath)
            ? [.. System.IO.Directory.EnumerateFiles(layout.OverridesFolderPath)
                .Where(f => f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)]
            : [];

    public static string SpecHashOf(DeploymentLayout layout) =>
        File.Exists(layout.Spec) ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(layout.Spec)))[..12] : "-";

    /// <summary>
    /// Snapshots D as revision <paramref name="number"/>: written into a temporary folder, then renamed into place, so a
    /// revision folder is complete or absent. Recording a number that exists already (a resumed record) keeps it.
    /// </summary>
    public RevisionRecord Record(int number, RevisionRecord record)
    {
        var target = Directory(number);
        if (Find(number) is { } existing) return existing;
        var staging = Path.Combine(Root, $".{number}.recording-{Guid.NewGuid():N}");
        try
        {
            foreach (var file in RenderedFiles(layout))
            {
                var source = Path.Combine(layout.Directory, file);
                var copy = Path.Combine(staging, "files", file);
                System.IO.Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(source, copy);
            }

            // Always made, empty too: a revision with the folder recorded D's overrides (none is an answer), one without predates it.
            var overrides = Path.Combine(staging, DeploymentLayout.OverridesFolder);
            System.IO.Directory.CreateDirectory(overrides);
            foreach (var file in OverrideFiles(layout))
            {
                File.Copy(file, Path.Combine(overrides, Path.GetFileName(file)));
            }

            File.WriteAllText(Path.Combine(staging, "revision.json"), JsonSerializer.Serialize(record with { Number = number }, StateJson.Default.RevisionRecord) + "\n");
            if (System.IO.Directory.Exists(target)) System.IO.Directory.Delete(target, recursive: true); // a half-recorded leftover has no revision.json
            System.IO.Directory.Move(staging, target);
        }
        catch
        {
            if (System.IO.Directory.Exists(staging)) System.IO.Directory.Delete(staging, recursive: true);
            throw;
        }

        return record with { Number = number };
    }

    public int NextNumber() => List() is { Count: > 0 } all ? all[^1].Number + 1 : 1;

    public RevisionRecord Restore(int number) => Restore(number, out _);

    /// <summary>The named volumes revision <paramref name="number"/> would declare once restored (see <see cref="Restore(int, out string?)"/>), read from its snapshot; D is not touched.</summary>
    public IReadOnlyDictionary<string, string?> DeclaredVolumeStorage(int number)
    {
        var recorded = Path.Combine(Directory(number), DeploymentLayout.OverridesFolder);
        return DeploymentSession.DeclaredVolumeStorageIn(Path.Combine(Directory(number), "files"),
            System.IO.Directory.Exists(recorded) ? recorded : layout.OverridesFolderPath);
    }

    /// <summary>
    /// Puts revision <paramref name="number"/>'s files back into D (each write atomic, modes kept); in the rendered
    /// folders, files the revision did not have are removed. D/overrides/ is made what the revision recorded: an
    /// override file it did not have, or had otherwise, is moved to .slipway/overrides-set-aside/ (the operator's file is
    /// never deleted). A revision recorded before overrides were part of revisions leaves D/overrides/ as it is.
    /// data/, deployment.yml and the rest of .slipway/ are never touched. <paramref name="overridesNote"/> says what
    /// happened to the overrides, null when nothing changed.
    /// </summary>
    public RevisionRecord Restore(int number, out string? overridesNote)
    {
        var record = Find(number) ?? throw new SlipwayException(FailureReason.NotFound, $"revision {number} does not exist",
            "'deployment history' lists the recorded revisions");
        var files = Path.Combine(Directory(number), "files");
        var keep = new HashSet<string>(StringComparer.Ordinal);
        if (System.IO.Directory.Exists(files))
        {
            foreach (var source in System.IO.Directory.EnumerateFiles(files, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(files, source).Replace('\\', '/');
                if (DeploymentLayout.IsProtected(relative)) continue;
                keep.Add(relative);
                var target = Path.Combine(layout.Directory, relative);
                var content = File.ReadAllBytes(source);
                if (File.Exists(target) && File.ReadAllBytes(target).AsSpan().SequenceEqual(content)) continue;
                AtomicFile.Write(target, content, OperatingSystem.IsWindows() ? null : File.GetUnixFileMode(source));
            }
        }

        foreach (var relative in RenderedFiles(layout))
        {
            if (keep.Contains(relative) || !RenderedFolders.Contains(relative.Split('/')[0])) continue;
            File.Delete(Path.Combine(layout.Directory, relative));
        }

        overridesNote = RestoreOverrides(number);
        return record;
    }

    private string? RestoreOverrides(int number)
    {
        var recorded = Path.Combine(Directory(number), DeploymentLayout.OverridesFolder);
        if (!System.IO.Directory.Exists(recorded)) return null;
        var wanted = System.IO.Directory.EnumerateFiles(recorded).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes, StringComparer.Ordinal);
        var aside = Path.Combine(layout.State, "overrides-set-aside", $"{DateTime.UtcNow:yyyyMMdd-HHmmssfff}-revision-{number}");
        var setAside = new List<string>();
        var restored = new List<string>();
        foreach (var file in OverrideFiles(layout))
        {
            var name = Path.GetFileName(file);
            if (wanted.TryGetValue(name, out var content) && File.ReadAllBytes(file).AsSpan().SequenceEqual(content)) continue;
            System.IO.Directory.CreateDirectory(aside);
            File.Move(file, Path.Combine(aside, name));
            setAside.Add($"{DeploymentLayout.OverridesFolder}/{name}");
        }

        foreach (var (name, content) in wanted)
        {
            var target = Path.Combine(layout.OverridesFolderPath, name);
            if (File.Exists(target)) continue;
            System.IO.Directory.CreateDirectory(layout.OverridesFolderPath);
            AtomicFile.Write(target, content, OperatingSystem.IsWindows() ? null : File.GetUnixFileMode(Path.Combine(recorded, name)));
            restored.Add($"{DeploymentLayout.OverridesFolder}/{name}");
        }

        if (setAside.Count == 0 && restored.Count == 0) return null;
        var parts = new List<string>();
        if (setAside.Count > 0) parts.Add($"set aside {string.Join(", ", setAside)} (moved to {Path.GetRelativePath(layout.Directory, aside)})");
        if (restored.Count > 0) parts.Add($"put back revision {number}'s {string.Join(", ", restored)}");
        return "overrides: " + string.Join("; ", parts);
    }

    /// <summary>Deletes the oldest revisions beyond <paramref name="limit"/>; the newest good revision is always kept.</summary>
    public IReadOnlyList<int> Prune(int limit)
    {
        var all = List();
        var lastGood = all.LastOrDefault(r => r.Result == RevisionRecord.Good)?.Number;
        var pruned = new List<int>();
        foreach (var revision in all.Take(Math.Max(0, all.Count - Math.Max(1, limit))))
        {
            if (revision.Number == lastGood) continue;
            System.IO.Directory.Delete(Directory(revision.Number), recursive: true);
            pruned.Add(revision.Number);
        }

        return pruned;
    }

    private static readonly StateFile.Shape Shape = new(
        ["number", "time", "result", "command", "runId", "specHash", "filesHash"], ["imagePins", "images", "sources"]);

    private static RevisionRecord Load(string dir)
    {
        var file = Path.Combine(dir, "revision.json");
        try
        {
            var text = File.ReadAllText(file);
            if (StateFile.Lacks(text, Shape) is { Count: > 0 } lacks) throw new JsonException(StateFile.Describe(lacks));
            return JsonSerializer.Deserialize(text, StateJson.Default.RevisionRecord) ?? throw new JsonException("empty document");
        }
        catch (JsonException ex)
        {
            throw new SlipwayException(FailureReason.InvalidInput, $"{file} is not a valid revision record: {ex.Message}");
        }
    }
}
