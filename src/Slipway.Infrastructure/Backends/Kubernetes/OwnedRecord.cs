using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Files;

namespace Slipway.Infrastructure.Backends.Kubernetes;

/// <summary>
/// D/.slipway/k8s-owned: every namespace this deployment has applied into and every namespaced kind it has applied,
/// written before each apply. Prune reads it, so a changed <c>namespace:</c> or a kind no longer rendered (an Ingress
/// removed with its http-proxy) still has its objects found by the deployment-id label and removed.
/// </summary>
internal sealed class OwnedRecord
{
    public const string FileName = "k8s-owned";

    /// <summary>What Slipway renders into a namespace: looked in whatever the record says. Never PVCs (data).</summary>
    public static readonly IReadOnlyList<string> RenderedKinds = ["deployments.apps", "services", "configmaps", "secrets", "ingresses.networking.k8s.io", "jobs.batch"];

    private static readonly HashSet<string> NeverPruned = ["namespaces", "persistentvolumes", "persistentvolumeclaims"];

    private OwnedRecord(string path, SortedSet<string> namespaces, SortedSet<string> kinds)
    {
        Path = path;
        Namespaces = namespaces;
        Kinds = kinds;
    }

    public string Path { get; }

    public SortedSet<string> Namespaces { get; }

    /// <summary>Kinds applied beyond <see cref="RenderedKinds"/>, as kubectl resource names (<c>endpoints</c>, <c>runtimeclasses.node.k8s.io</c>).</summary>
    public SortedSet<string> Kinds { get; }

    /// <summary>The kinds to list or delete by label: the rendered ones, then every other one ever applied.</summary>
    public string KindList => string.Join(',', RenderedKinds.Concat(Kinds.Where(k => !RenderedKinds.Contains(k) && !NeverPruned.Contains(k))));

    public static OwnedRecord Read(string stateFolder)
    {
        var path = System.IO.Path.Combine(stateFolder, FileName);
        var namespaces = new SortedSet<string>(StringComparer.Ordinal);
        var kinds = new SortedSet<string>(StringComparer.Ordinal);
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new OwnedRecord(path, namespaces, kinds);
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split(' ', 2, StringSplitOptions.TrimEntries);
            var set = parts[0] switch { "namespace" => namespaces, "kind" => kinds, _ => null };
            if (set is null || parts.Length != 2 || parts[1].Length == 0 || parts[1].Contains(' ', StringComparison.Ordinal))
            {
                throw new SlipwayException(FailureReason.InvalidInput, $"{path}:{i + 1}:1: expected 'namespace NAME' or 'kind RESOURCE', found '{line}'",
                    "it is Slipway's record of what this deployment applied on Kubernetes; fix the line or delete the file (prune then looks only in the current namespace)");
            }

            set.Add(parts[1]);
        }

        return new OwnedRecord(path, namespaces, kinds);
    }

    /// <summary>The kubectl resource name of a kind (<c>Deployment</c> in <c>apps</c> → <c>deployments.apps</c>).</summary>
    public static string Resource(ManifestObject o)
    {
        var lower = o.Kind.ToLowerInvariant();
        var plural = lower.EndsWith('s') ? lower + "es" : lower.EndsWith('y') ? lower[..^1] + "ies" : lower + "s";
        if (lower == "endpoints") plural = lower;
        return o.Group.Length == 0 ? plural : $"{plural}.{o.Group}";
    }

    /// <summary>Adds the namespace and the namespaced kinds of <paramref name="objects"/>; writes only when something is new.</summary>
    public void Add(string ns, IEnumerable<ManifestObject> objects)
    {
        var changed = Namespaces.Add(ns);
        foreach (var o in objects.Where(o => o.Namespace is not null))
        {
            var resource = Resource(o);
            if (!RenderedKinds.Contains(resource) && !NeverPruned.Contains(resource)) changed |= Kinds.Add(resource);
        }

        if (changed) Write();
    }

    public void Forget(string ns)
    {
        if (Namespaces.Remove(ns)) Write();
    }

    private void Write()
    {
        var text = "# Slipway's record of what this deployment applied on Kubernetes: prune looks for its objects here\n"
            + string.Concat(Namespaces.Select(n => $"namespace {n}\n")) + string.Concat(Kinds.Select(k => $"kind {k}\n"));
        AtomicFile.WriteText(Path, text);
    }
}
