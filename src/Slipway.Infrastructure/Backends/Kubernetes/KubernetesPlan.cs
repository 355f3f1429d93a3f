namespace Slipway.Infrastructure.Backends.Kubernetes;

/// <summary>plan on Kubernetes: the same batch an apply would send, compared by <c>kubectl diff --server-side</c>; nothing is written.</summary>
internal sealed class KubernetesPlan(KubernetesTarget target)
{
    public async Task<IReadOnlyList<PlannedChange>> PlanAsync(ApplyOptions options, CancellationToken cancellationToken)
    {
        var apply = new KubernetesApply(target);
        var manifests = target.LoadManifests();
        var ns = target.NamespaceOf(manifests);
        var pullSecret = target.PullSecret(ns, warn: false);
        if (target.Cluster is { } cluster && !await cluster.IsRunningAsync(cancellationToken))
        {
            var all = apply.Batch(manifests, pullSecret, new HashSet<string>(), options.ImagePins);
            return all.Objects.Select(o => new PlannedChange(o.Kind, o.Name, "create", $"kind cluster {cluster.Name} is not running")).ToList();
        }

        if (target.Cluster is null) target.RequireKubeconfig();
        var live = await new NamespaceOwnership(target).CheckAsync(ns.Name, null, cancellationToken);
        var existingJobs = live is null ? new HashSet<string>() : await apply.ExistingJobsAsync(ns.Name, cancellationToken);
        var batch = apply.Batch(manifests, pullSecret, existingJobs, options.ImagePins);
        var diff = await target.Kubectl.DiffAsync(batch.Yaml, pullSecret?.SecretForms ?? [], cancellationToken);
        var changes = ParseDiff(diff, batch.Objects).ToList();
        changes.AddRange(target.LoadJobObjects().Where(o => o.Kind == "Job" && existingJobs.Contains(o.ResourceName))
            .Select(o => new PlannedChange(o.Kind, o.Name, "unchanged", "already ran; not recreated")));
        if (live is not null)
        {
            foreach (var stale in await apply.StaleObjectsAsync(ns.Name, batch.Declared, cancellationToken))
            {
                var slash = stale.IndexOf('/');
                changes.Add(new PlannedChange(stale[..slash], stale[(slash + 1)..], "delete", "no longer declared"));
            }
        }

        return changes;
    }

    /// <summary>
    /// Reads the unified diff kubectl diff prints (one <c>diff -u -N LIVE/&lt;group.&gt;version.Kind.namespace.name MERGED/...</c>
    /// section per changed object): a section that adds to an empty file is a create, any other an update, and an
    /// object without a section is unchanged.
    /// </summary>
    public static IEnumerable<PlannedChange> ParseDiff(string diff, IReadOnlyList<ManifestObject> objects)
    {
        var sections = new Dictionary<string, (bool Create, int Added, int Removed)>(StringComparer.Ordinal);
        string? current = null;
        foreach (var line in diff.Split('\n'))
        {
            if (line.StartsWith("diff ", StringComparison.Ordinal))
            {
                current = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1];
                current = current[(current.LastIndexOf('/') + 1)..];
                sections[current] = (false, 0, 0);
            }
            else if (current is not null)
            {
                var s = sections[current];
                if (line.StartsWith("@@ -0,0 ", StringComparison.Ordinal)) sections[current] = s with { Create = true };
                else if (line.StartsWith('+') && !line.StartsWith("+++", StringComparison.Ordinal)) sections[current] = s with { Added = s.Added + 1 };
                else if (line.StartsWith('-') && !line.StartsWith("---", StringComparison.Ordinal)) sections[current] = s with { Removed = s.Removed + 1 };
            }
        }

        foreach (var o in objects)
        {
            var suffix = $".{o.Kind}.{o.Namespace ?? ""}.{o.Name}";
            var version = o.ApiVersion.Contains('/') ? o.ApiVersion[(o.ApiVersion.IndexOf('/') + 1)..] : o.ApiVersion;
            var file = (o.Group.Length == 0 ? "" : o.Group + ".") + version + suffix;
            if (sections.TryGetValue(file, out var s))
            {
                yield return new PlannedChange(o.Kind, o.Name, s.Create ? "create" : "update", s.Create ? null : $"+{s.Added} -{s.Removed} lines");
            }
            else
            {
                yield return new PlannedChange(o.Kind, o.Name, "unchanged");
            }
        }
    }
}
