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
        if (live is null)
        {
            // A server-side diff into a namespace that does not exist fails (NotFound); everything would be created.
            var fresh = apply.Batch(manifests, pullSecret, new HashSet<string>(), options.ImagePins);
            return fresh.Objects.Select(o => new PlannedChange(o.Kind, o.Name, "create", o.Kind == "Namespace" ? "does not exist yet" : $"namespace {ns.Name} does not exist yet")).ToList();
        }

        var existingJobs = await apply.ExistingJobsAsync(ns.Name, cancellationToken);
        // As start would fill them, so a selector external service whose pods did not change plans as unchanged.
        await ExternalSelectors.FillAsync(target, manifests, null, cancellationToken);
        var batch = apply.Batch(manifests, pullSecret, existingJobs, options.ImagePins);
        var existing = await ExistingAsync(ns.Name, batch.Objects, cancellationToken);
        var diff = await target.Kubectl.DiffAsync(batch.Yaml, pullSecret?.SecretForms ?? [], cancellationToken);
        var changes = ParseDiff(diff, batch.Objects, existing).ToList();
        changes.AddRange(target.LoadJobObjects().Where(o => o.Kind == "Job" && existingJobs.Contains(o.ResourceName))
            .Select(o => new PlannedChange(o.Kind, o.Name, "unchanged", "already ran; not recreated")));
        foreach (var (where, names) in await apply.StaleObjectsAsync(ns.Name, batch.Declared, cancellationToken))
        {
            foreach (var stale in names)
            {
                var slash = stale.IndexOf('/');
                changes.Add(new PlannedChange(stale[..slash], stale[(slash + 1)..], "delete", where == ns.Name ? "no longer declared" : $"left in namespace {where}, which this deployment no longer uses"));
            }
        }

        return changes;
    }

    /// <summary>
    /// The objects of the batch that exist now (as <c>kubectl get -o name</c> names them), read from the cluster: what
    /// decides create or update, since kubectl diff shows a masked Secret that does not exist as a one-line "null".
    /// </summary>
    private async Task<IReadOnlySet<string>> ExistingAsync(string ns, IReadOnlyList<ManifestObject> objects, CancellationToken cancellationToken)
    {
        var existing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var o in objects.Where(o => o.Kind == "Namespace")) existing.Add(o.ResourceName);
        var namespaced = await target.Kubectl.RequireAsync("get (objects of the plan)", ["get", target.OwnedKinds + ",persistentvolumeclaims", "-n", ns, "-l", target.Selector, "-o", "name"], cancellationToken);
        existing.UnionWith(KubernetesTarget.Lines(namespaced.StandardOutput));
        if (objects.Any(o => o.Kind == "PersistentVolume"))
        {
            var volumes = await target.Kubectl.RequireAsync("get persistentvolumes", ["get", "persistentvolumes", "-l", target.Selector, "-o", "name"], cancellationToken);
            existing.UnionWith(KubernetesTarget.Lines(volumes.StandardOutput));
        }

        if (objects.Any(o => o.Kind == "RuntimeClass"))
        {
            // Shared by name (security.unlimited-memlock's high-memlock): whoever made it, it exists.
            var classes = await target.Kubectl.RequireAsync("get runtimeclasses", ["get", "runtimeclasses.node.k8s.io", "-o", "name"], cancellationToken);
            existing.UnionWith(KubernetesTarget.Lines(classes.StandardOutput));
        }

        return existing;
    }

    /// <summary>
    /// Reads the unified diff kubectl diff prints (one <c>diff -u -N LIVE/&lt;group.&gt;version.Kind.namespace.name MERGED/...</c>
    /// section per changed object): a changed object that does not exist yet (<paramref name="existing"/>) is a create,
    /// one that exists an update, and an object without a section is unchanged.
    /// </summary>
    public static IEnumerable<PlannedChange> ParseDiff(string diff, IReadOnlyList<ManifestObject> objects, IReadOnlySet<string> existing)
    {
        var sections = new Dictionary<string, (int Added, int Removed)>(StringComparer.Ordinal);
        string? current = null;
        foreach (var line in diff.Split('\n'))
        {
            if (line.StartsWith("diff ", StringComparison.Ordinal))
            {
                current = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1];
                current = current[(current.LastIndexOf('/') + 1)..];
                sections[current] = (0, 0);
            }
            else if (current is not null)
            {
                var s = sections[current];
                if (line.StartsWith('+') && !line.StartsWith("+++", StringComparison.Ordinal)) sections[current] = s with { Added = s.Added + 1 };
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
                var create = !existing.Contains(o.ResourceName);
                yield return new PlannedChange(o.Kind, o.Name, create ? "create" : "update", create ? null : $"+{s.Added} -{s.Removed} lines");
            }
            else
            {
                yield return new PlannedChange(o.Kind, o.Name, "unchanged");
            }
        }
    }
}
