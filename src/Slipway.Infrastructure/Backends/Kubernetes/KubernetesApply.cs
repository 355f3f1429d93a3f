using Slipway.Core;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using YamlDotNet.RepresentationModel;

namespace Slipway.Infrastructure.Backends.Kubernetes;

/// <summary>The objects of one apply: manifests, the pull secret, and the jobs that have not run yet, in apply order.</summary>
internal sealed record ApplyBatch(IReadOnlyList<ManifestObject> Objects, string Yaml, IReadOnlySet<string> Declared);

/// <summary>
/// start on Kubernetes: check the namespace's owner, make released volumes claimable, one server-side apply of every
/// object, prune what D no longer declares, and (only when asked to wait) wait for every Deployment to roll out.
/// </summary>
internal sealed class KubernetesApply(KubernetesTarget target)
{
    public async Task ApplyAsync(ApplyOptions options, CancellationToken cancellationToken)
    {
        if (options.Services.Count > 0)
        {
            throw new SlipwayException(FailureReason.InvalidInput,
                $"start on {target.Session.Target.ToName()} applies the whole deployment; naming services ({string.Join(", ", options.Services)}) is only supported on compose",
                "run start without service names");
        }

        var deadline = target.Options.Clock.GetUtcNow() + options.WaitTimeout;
        var manifests = target.LoadManifests();
        var ns = target.NamespaceOf(manifests);
        await target.ConnectAsync(options.PerformClusterManagement, options.Progress, cancellationToken);
        await new NamespaceOwnership(target).CheckAsync(ns.Name, options.Progress, cancellationToken);
        // Before the deployment's objects: its Ingress is served once they are up.
        if (target.Cluster is { } cluster) await new KindIngress(target, cluster).EnsureAsync(options.Progress, cancellationToken);
        if (manifests.Any(o => o.Kind == "PersistentVolume")) await ReleaseVolumesAsync(options.Progress, cancellationToken);
        var existingJobs = await ExistingJobsAsync(ns.Name, cancellationToken);
        var pullSecret = target.PullSecret(ns, warn: true);
        await ExternalSelectors.FillAsync(target, manifests, options.Progress, cancellationToken);
        var batch = Batch(manifests, pullSecret, existingJobs, options.ImagePins);

        // Recorded before the apply: a run killed after it still finds these objects to prune or stop.
        target.Owned().Add(ns.Name, batch.Objects);
        var deployments = manifests.Where(o => o.Kind == "Deployment").ToList();
        if (options.ForceRecreate && await MaintenanceAsync(ns.Name, batch, cancellationToken) is { } maintenance)
        {
            await ApplyBehindMaintenanceAsync(ns.Name, batch, maintenance, pullSecret, deadline, options, cancellationToken);
            await PruneAsync(ns.Name, batch.Declared, options.Progress, cancellationToken);
            return;
        }

        options.Progress?.Invoke($"applying {batch.Objects.Count} objects to namespace {ns.Name}");
        await target.Kubectl.ApplyAsync(batch.Yaml, pullSecret?.SecretForms, TimeSpan.FromMinutes(5), cancellationToken, options.Progress, options.ForceConflicts);

        await PruneAsync(ns.Name, batch.Declared, options.Progress, cancellationToken);

        if (options.ForceRecreate && deployments.Count > 0)
        {
            // rollout restart stamps the pod template through its own field manager, so the next plain apply keeps it.
            await target.Kubectl.RequireAsync("rollout restart", ["rollout", "restart", "-n", ns.Name, .. deployments.Select(d => $"deployment/{d.Name}")], cancellationToken);
        }

        if (!options.Wait || deployments.Count == 0) return;
        await WaitHealthyAsync(ns.Name, deadline, options, cancellationToken);
    }

    /// <summary>maintenance-service during restart: the live Ingress, the Service:port to point it at, and the Deployment behind that Service.</summary>
    private sealed record Maintenance(ManifestObject Ingress, string Service, int Port);

    /// <summary>
    /// The maintenance swap applies when the rendered Ingress names a maintenance backend and the Ingress exists live
    /// (on a first start nobody is being served, so there is nothing to keep answering).
    /// </summary>
    private async Task<Maintenance?> MaintenanceAsync(string ns, ApplyBatch batch, CancellationToken cancellationToken)
    {
        var ingress = batch.Objects.FirstOrDefault(o => o.Kind == "Ingress" && o.Annotation(SlipwayLabels.MaintenanceBackendAnnotation).Length > 0);
        if (ingress is null) return null;
        var live = await target.Kubectl.RunAsync(["get", "ingresses.networking.k8s.io", ingress.Name, "-n", ns, "-o", "name"], cancellationToken);
        if (Tools.Kubectl.IsNotFound(live)) return null;
        if (!live.Succeeded) throw Tools.Kubectl.Failure($"get ingress {ingress.Name}", live, FailureReason.DeploymentFailed, target.ConnectionHint());
        var backend = ingress.Annotation(SlipwayLabels.MaintenanceBackendAnnotation);
        var colon = backend.LastIndexOf(':');
        return new Maintenance(ingress, backend[..colon], int.Parse(backend[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// restart with maintenance-service (laconic-so's swap, in an order that never leaves the Ingress on a pod being
    /// replaced): everything but the Ingress and the other Deployments; wait for the maintenance Deployment; point every
    /// Ingress path at it; apply and restart the other Deployments and wait for them to be ready; then restore the
    /// Ingress. If they never get ready, the Ingress is left on the maintenance pod: the rollback, or the next start,
    /// applies the real one.
    /// </summary>
    private async Task ApplyBehindMaintenanceAsync(string ns, ApplyBatch batch, Maintenance maintenance, RegistryPullSecret? pullSecret, DateTimeOffset deadline,
        ApplyOptions options, CancellationToken cancellationToken)
    {
        Task Apply(IEnumerable<ManifestObject> objects) =>
            target.Kubectl.ApplyAsync(KubernetesManifests.Serialize(objects), pullSecret?.SecretForms, TimeSpan.FromMinutes(5), cancellationToken, options.Progress, options.ForceConflicts);

        // The maintenance pod's Deployment carries the same name as its ClusterIP Service.
        var others = batch.Objects.Where(o => o.Kind == "Deployment" && o.Name != maintenance.Service).ToList();
        var first = batch.Objects.Where(o => o != maintenance.Ingress && !others.Contains(o)).ToList();
        options.Progress?.Invoke($"maintenance-service: applying {first.Count} objects to namespace {ns}, the maintenance pod first");
        await Apply(first);
        await WaitAvailableAsync(ns, maintenance.Service, deadline, options, cancellationToken);

        options.Progress?.Invoke($"maintenance-service: pointing ingress {maintenance.Ingress.Name} at {maintenance.Service}:{maintenance.Port} while the other pods are replaced");
        await Apply([Swapped(maintenance)]);

        if (others.Count > 0)
        {
            await Apply(others);
            await target.Kubectl.RequireAsync("rollout restart", ["rollout", "restart", "-n", ns, .. others.Select(d => $"deployment/{d.Name}")], cancellationToken);
            try
            {
                await WaitHealthyAsync(ns, deadline, options, cancellationToken);
            }
            catch (SlipwayException e)
            {
                throw new SlipwayException(e.Reason, e.Message + $"\n  ingress {maintenance.Ingress.Name} still points at the maintenance service {maintenance.Service}:{maintenance.Port}", e.Hint);
            }
        }

        options.Progress?.Invoke($"maintenance-service: restoring ingress {maintenance.Ingress.Name}");
        await Apply([maintenance.Ingress]);
    }

    /// <summary>A copy of the Ingress with every path's backend set to the maintenance Service.</summary>
    private static ManifestObject Swapped(Maintenance maintenance)
    {
        var copy = KubernetesManifests.Parse(KubernetesManifests.Serialize([maintenance.Ingress]), "ingress").Single();
        var rules = copy.Node.Child("spec")?.Children.TryGetValue(new YamlScalarNode("rules"), out var r) == true ? r as YamlSequenceNode : null;
        foreach (var rule in rules?.Children.OfType<YamlMappingNode>() ?? [])
        {
            if (rule.Child("http")?.Children.TryGetValue(new YamlScalarNode("paths"), out var p) != true || p is not YamlSequenceNode paths) continue;
            foreach (var path in paths.Children.OfType<YamlMappingNode>())
            {
                path.Children[new YamlScalarNode("backend")] = new YamlMappingNode
                {
                    {
                        "service", new YamlMappingNode
                        {
                            { "name", maintenance.Service },
                            { "port", new YamlMappingNode { { "number", new YamlScalarNode(maintenance.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)) { Style = YamlDotNet.Core.ScalarStyle.Plain } } } },
                        }
                    },
                };
            }
        }

        return copy;
    }

    /// <summary>Waits until one Deployment has rolled out its current generation with every replica available.</summary>
    private async Task WaitAvailableAsync(string ns, string deployment, DateTimeOffset deadline, ApplyOptions options, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await target.Kubectl.RequireAsync($"get deployment {deployment}", ["get", "deployments.apps", deployment, "-n", ns, "-o", "json"], cancellationToken);
            using var doc = System.Text.Json.JsonDocument.Parse(result.StandardOutput);
            var root = doc.RootElement;
            long Number(string section, string key) =>
                root.TryGetProperty(section, out var s) && s.TryGetProperty(key, out var v) && v.TryGetInt64(out var n) ? n : 0;
            var wanted = root.TryGetProperty("spec", out var spec) && spec.TryGetProperty("replicas", out var rep) ? rep.GetInt64() : 1;
            if (Number("status", "observedGeneration") >= Number("metadata", "generation") && Number("status", "updatedReplicas") >= wanted && Number("status", "availableReplicas") >= wanted)
            {
                return;
            }

            if (target.Options.Clock.GetUtcNow() >= deadline)
            {
                throw new SlipwayException(FailureReason.VerifyTimeout,
                    $"the maintenance pod ({deployment}) did not become available within {(int)options.WaitTimeout.TotalSeconds}s; the ingress was not touched and the other pods were not replaced",
                    $"see why with 'slipway deployment --dir {target.Directory} status'");
            }

            options.Progress?.Invoke($"waiting for the maintenance pod {deployment}");
            await target.Options.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }
    }

    /// <summary>The kinds prepare applies: everything a pod needs to exist before it starts, and no workload.</summary>
    private static readonly HashSet<string> PrepareKinds = ["Namespace", "PersistentVolume", "PersistentVolumeClaim", "ConfigMap", "Secret"];

    /// <summary>
    /// prepare: the same connection, ownership and released-volume steps as start, then one apply of the namespace, the
    /// pull secret, PVs, PVCs, ConfigMaps and Secrets; no Deployment, Service, Ingress or Job, and no prune.
    /// </summary>
    public async Task<IReadOnlyList<string>> PrepareAsync(bool performClusterManagement, Action<string>? progress, CancellationToken cancellationToken)
    {
        var manifests = target.LoadManifests();
        var ns = target.NamespaceOf(manifests);
        await target.ConnectAsync(performClusterManagement, progress, cancellationToken);
        await new NamespaceOwnership(target).CheckAsync(ns.Name, progress, cancellationToken);
        if (manifests.Any(o => o.Kind == "PersistentVolume")) await ReleaseVolumesAsync(progress, cancellationToken);
        var pullSecret = target.PullSecret(ns, warn: true);
        var objects = new List<ManifestObject> { ns };
        if (pullSecret is not null) objects.Add(pullSecret.Object);
        objects.AddRange(manifests.Where(o => o.Kind != "Namespace" && PrepareKinds.Contains(o.Kind)));
        progress?.Invoke($"applying {objects.Count} objects to namespace {ns.Name} (no workloads)");
        await target.Kubectl.ApplyAsync(KubernetesManifests.Serialize(objects), pullSecret?.SecretForms, TimeSpan.FromMinutes(5), cancellationToken, progress);
        foreach (var warning in await MissingSecretsAsync(cancellationToken)) target.Options.Warn(warning);
        return [.. objects.Select(o => $"{o.Kind} {o.Name}")];
    }

    /// <summary>The one stdin of an apply: the Namespace first, the pull secret before the pods need it, then the rest and the jobs not run yet.</summary>
    public ApplyBatch Batch(IReadOnlyList<ManifestObject> manifests, RegistryPullSecret? pullSecret, IReadOnlySet<string> existingJobs, IReadOnlyDictionary<string, string> pins)
    {
        var objects = new List<ManifestObject>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(ManifestObject o)
        {
            if (seen.Add($"{o.Kind}/{o.Namespace}/{o.Name}")) objects.Add(o);
        }

        foreach (var o in manifests.Where(o => o.Kind == "Namespace")) Add(o);
        if (pullSecret is not null) Add(pullSecret.Object);
        foreach (var o in manifests.Where(o => o.Kind != "Namespace")) Add(o);

        var declared = new HashSet<string>(objects.Select(o => o.ResourceName), StringComparer.Ordinal)
        {
            // Declared whenever the spec has registry-credentials: a token missing this once must not delete a working secret.
            KubernetesManifests.ResourceName("Secret", "", RegistryPullSecret.NameFor(target.DeploymentId)),
        };
        foreach (var o in target.LoadJobObjects())
        {
            declared.Add(o.ResourceName);
            // A Job's pod template is immutable and it already did its work: one that exists is left alone.
            if (o.Kind == "Job" && existingJobs.Contains(o.ResourceName)) continue;
            Add(o);
        }

        ConfigMapFolders.Refresh(objects, target.Directory);
        KubernetesManifests.PinImages(objects, pins);
        return new ApplyBatch(objects, KubernetesManifests.Serialize(objects), declared);
    }

    private async Task PruneAsync(string ns, IReadOnlySet<string> declared, Action<string>? progress, CancellationToken cancellationToken)
    {
        foreach (var (where, stale) in await StaleObjectsAsync(ns, declared, cancellationToken))
        {
            if (stale.Count > 0)
            {
                progress?.Invoke(where == ns
                    ? "removing objects the deployment no longer declares: " + string.Join(", ", stale)
                    : $"removing this deployment's objects from namespace {where}, which it no longer uses: " + string.Join(", ", stale));
                await target.Kubectl.RequireAsync("delete (prune)", ["delete", "-n", where, "--wait=true", "--ignore-not-found", .. stale], cancellationToken,
                    timeout: target.Options.DeleteTimeout + TimeSpan.FromSeconds(30));
            }

            if (where != ns) await LeaveNamespaceAsync(where, cancellationToken);
        }
    }

    /// <summary>
    /// A namespace this deployment left: its claims (data) stay, and so does the namespace, which deleting would take
    /// them with; once no claim of this deployment is left it is forgotten, and the operator told how to delete it.
    /// </summary>
    private async Task LeaveNamespaceAsync(string ns, CancellationToken cancellationToken)
    {
        var claims = await target.Kubectl.RequireAsync("get persistentvolumeclaims", ["get", "persistentvolumeclaims", "-n", ns, "-l", target.Selector, "-o", "name"], cancellationToken);
        var left = KubernetesTarget.Lines(claims.StandardOutput).Order(StringComparer.Ordinal).ToList();
        if (left.Count > 0)
        {
            target.Options.Warn($"namespace {ns}, which this deployment used before, still holds its volume claims ({string.Join(", ", left)}): their data is kept; "
                + $"move it if needed, then 'kubectl delete -n {ns} {string.Join(' ', left)}' and 'kubectl delete namespace {ns}'");
            return;
        }

        target.Owned().Forget(ns);
        target.Options.Warn($"namespace {ns}, which this deployment used before, holds none of its objects any more; Slipway leaves the namespace itself: 'kubectl delete namespace {ns}' removes it");
    }

    /// <summary>
    /// Live objects with this deployment's label that D no longer declares, per namespace: in the current one, those not
    /// declared; in every other namespace it has applied into (D/.slipway/k8s-owned), all of them. Over every kind
    /// rendered or ever applied; never PVs or PVCs (data is only deleted by --delete-volumes).
    /// </summary>
    public async Task<IReadOnlyList<(string Namespace, IReadOnlyList<string> Names)>> StaleObjectsAsync(string ns, IReadOnlySet<string> declared, CancellationToken cancellationToken)
    {
        var owned = target.Owned();
        var result = new List<(string, IReadOnlyList<string>)>();
        foreach (var where in owned.Namespaces.Where(n => n != ns).Prepend(ns))
        {
            var live = await target.Kubectl.RequireAsync("get (objects to prune)", ["get", owned.KindList, "-n", where, "-l", target.Selector, "-o", "name"], cancellationToken);
            result.Add((where, KubernetesTarget.Lines(live.StandardOutput).Where(name => where != ns || !declared.Contains(name)).Order(StringComparer.Ordinal).ToList()));
        }

        return result;
    }

    /// <summary>
    /// A PV whose claim was deleted (with its namespace) stays Released with a stale claimRef, and the re-created claim
    /// would never bind. Our own Released PVs get their claimRef cleared so they bind again, data intact.
    /// </summary>
    private async Task ReleaseVolumesAsync(Action<string>? progress, CancellationToken cancellationToken)
    {
        var volumes = await target.Kubectl.RequireAsync("get persistentvolumes", ["get", "persistentvolumes", "-l", target.Selector, "-o", "json"], cancellationToken);
        foreach (var item in KubernetesTarget.Items(volumes.StandardOutput))
        {
            if (!item.TryGetProperty("status", out var status) || !status.TryGetProperty("phase", out var phase) || phase.GetString() != "Released") continue;
            var name = item.GetProperty("metadata").GetProperty("name").GetString()!;
            progress?.Invoke($"persistentvolume/{name} was released by a deleted claim; making it claimable again");
            await target.Kubectl.RequireAsync($"patch persistentvolume {name}", ["patch", "persistentvolume", name, "--type=json", "-p", "[{\"op\":\"remove\",\"path\":\"/spec/claimRef\"}]"], cancellationToken);
        }
    }

    /// <summary>
    /// The spec's secrets are the operator's to create: pods reference them as optional (they start without them), so
    /// the prepare stage says, before anything is built or applied, which do not exist yet and the command that creates
    /// each. A kind cluster that is not running has none; a cluster that cannot be asked is said to be unchecked.
    /// </summary>
    public async Task<IReadOnlyList<string>> MissingSecretsAsync(CancellationToken cancellationToken)
    {
        var wanted = target.Session.Spec.Kubernetes.Secrets;
        if (wanted.Count == 0) return [];
        var ns = target.Namespace;
        var present = new HashSet<string>(StringComparer.Ordinal);
        var where = $"namespace {ns}";
        if (target.Cluster is { } cluster && !await cluster.IsRunningAsync(cancellationToken))
        {
            where = $"kind cluster {cluster.Name}, which is not running yet";
        }
        else
        {
            if (target.Cluster is null && !File.Exists(target.KubeconfigFile)) return [];
            var live = await target.Kubectl.RunAsync(["get", "secrets", "-n", ns, "-o", "name"], cancellationToken);
            if (!live.Succeeded && !Tools.Kubectl.IsNotFound(live))
            {
                return [$"could not list the Secrets of namespace {ns} to check the spec's secrets ({string.Join(", ", wanted.Select(s => s.Name))}): {live.Tail()}"];
            }

            if (live.Succeeded) present.UnionWith(KubernetesTarget.Lines(live.StandardOutput));
        }

        var warnings = new List<string>();
        foreach (var secret in wanted.Where(s => !present.Contains($"secret/{s.Name}")))
        {
            var keys = secret.Keys.Count > 0 ? secret.Keys : ["KEY"];
            var literals = string.Join(" ", keys.Select(k => $"--from-literal={k}=..."));
            warnings.Add(
                $"Secret {secret.Name} ({secret.Location}) does not exist in {where}: the pods start without {(secret.Keys.Count > 0 ? string.Join(", ", secret.Keys) : "its keys")}; "
                + $"create it with 'kubectl -n {ns} create secret generic {secret.Name} {literals}' ('deployment prepare' makes the namespace first if it does not exist yet), then run restart");
        }

        return warnings;
    }

    public async Task<IReadOnlySet<string>> ExistingJobsAsync(string ns, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(target.JobsFolder)) return new HashSet<string>();
        var result = await target.Kubectl.RequireAsync("get jobs", ["get", "jobs.batch", "-n", ns, "-l", target.Selector, "-o", "name"], cancellationToken);
        return KubernetesTarget.Lines(result.StandardOutput).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Waits, when asked to, as verify does: until every rollout is done and every container ready, failing at once on
    /// a state Kubernetes retries without hope (CreateContainerConfigError, ImagePullBackOff, CrashLoopBackOff, a claim
    /// no volume can bind), which <c>kubectl rollout status</c> would sit out to the timeout.
    /// </summary>
    private async Task WaitHealthyAsync(string ns, DateTimeOffset deadline, ApplyOptions options, CancellationToken cancellationToken)
    {
        var health = new KubernetesHealth(target);
        var hint = $"see why with 'slipway deployment --dir {target.Directory} status' and 'diagnose'";
        while (true)
        {
            var snapshot = await health.SnapshotAsync(cancellationToken);
            var failed = snapshot.Services.Where(s => s.Condition == ServiceCondition.Failed).Select(s => $"{s.Service} ({s.Name}): {s.State}")
                .Concat(snapshot.FailedRollouts).ToList();
            if (failed.Count > 0)
            {
                throw new SlipwayException(FailureReason.DeploymentFailed, $"the deployment in namespace {ns} cannot become ready:\n  " + string.Join("\n  ", failed), hint);
            }

            var waiting = snapshot.Services.Where(s => s.Condition != ServiceCondition.Ready).Select(s => $"{s.Service} ({s.Health ?? s.State})")
                .Concat(snapshot.PendingRollouts).ToList();
            if (snapshot.Services.Count > 0 && waiting.Count == 0) return;
            if (target.Options.Clock.GetUtcNow() >= deadline)
            {
                throw new SlipwayException(FailureReason.VerifyTimeout,
                    $"the deployment in namespace {ns} did not finish rolling out within {(int)options.WaitTimeout.TotalSeconds}s: {(waiting.Count == 0 ? "no pods" : string.Join(", ", waiting))}",
                    hint + "; or raise --wait-timeout");
            }

            options.Progress?.Invoke(waiting.Count == 0 ? "waiting for pods" : "waiting for " + string.Join(", ", waiting));
            await target.Options.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }
    }
}
