using System.Security.Cryptography;
using Slipway.Core.Deployments;

namespace Slipway.Infrastructure.Pipeline;

/// <summary>A service an apply created or recreated (or a plan would), with why (see <see cref="RecreateReasons"/>).</summary>
/// <param name="Action">created, recreated, or (plan) would be recreated.</param>
public sealed record ServiceChange(string Service, string Action, IReadOnlyList<string> Reasons)
{
    public string Describe() => $"{Action} {RecreateReasons.Describe(Service, Reasons)}";
}

/// <summary>Reads D and a revision's snapshot for <see cref="RecreateReasons"/>: the reasons each service differs from what is live.</summary>
public static class ServiceChanges
{
    /// <summary>service → why it differs from revision <paramref name="live"/> (none recorded: no reasons, every service is new anyway).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Since(DeploymentLayout layout, RevisionStore store, RevisionRecord? live, IReadOnlyDictionary<string, string> images)
    {
        if (live is null) return new Dictionary<string, IReadOnlyList<string>>();
        var snapshot = Path.Combine(store.Directory(live.Number), "files");
        var before = Read(snapshot, Directory.Exists(snapshot) ? Directory.EnumerateFiles(snapshot, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(snapshot, f).Replace('\\', '/')) : []);
        var after = Read(layout.Directory, RevisionStore.RenderedFiles(layout));
        // A revision keeps D's overrides beside files/ (one recorded before that has no folder and cannot tell).
        var kept = Path.Combine(store.Directory(live.Number), DeploymentLayout.OverridesFolder);
        if (Directory.Exists(kept))
        {
            foreach (var file in Directory.EnumerateFiles(kept)) before[DeploymentLayout.OverridesFolder + "/" + Path.GetFileName(file)] = File.ReadAllText(file);
            foreach (var file in RevisionStore.OverrideFiles(layout)) after[DeploymentLayout.OverridesFolder + "/" + Path.GetFileName(file)] = File.ReadAllText(file);
        }

        return RecreateReasons.Explain(before, after, live.Images, images);
    }

    private static Dictionary<string, string> Read(string root, IEnumerable<string> files)
    {
        var contents = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var path = Path.Combine(root, file);
            var text = file == "config.env" || file.EndsWith(".yml", StringComparison.Ordinal) && (file.StartsWith("compose/", StringComparison.Ordinal) || file.StartsWith(DeploymentLayout.OverridesFolder + "/", StringComparison.Ordinal));
            contents[file] = text ? File.ReadAllText(path) : Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        }

        return contents;
    }
}
