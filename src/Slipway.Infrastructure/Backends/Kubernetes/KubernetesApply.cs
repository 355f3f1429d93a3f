using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;

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
        if (manifests.Any(o => o.Kind == "PersistentVolume")) await ReleaseVolumesAsync(options.Progress, cancellationToken);
        await WarnMissingSecretsAsync(ns.Name, cancellationToken);
        var existingJobs = await ExistingJobsAsync(ns.Name, cancellationToken);
        var pullSecret = target.PullSecret(ns, warn: true);
        var batch = Batch(manifests, pullSecret, existingJobs, options.ImagePins);

        options.Progress?.Invoke($"applying {batch.Objects.Count} objects to namespace {ns.Name}");
        await target.Kubectl.ApplyAsync(batch.Yaml, pullSecret?.SecretForms, TimeSpan.FromMinutes(5), cancellationToken, options.Progress, options.ForceConflicts);

        await PruneAsync(ns.Name, batch.Declared, options.Progress, cancellationToken);

        var deployments = manifests.Where(o => o.Kind == "Deployment").ToList();
        if (options.ForceRecreate && deployments.Count > 0)
        {
            // rollout restart stamps the pod template through its own field manager, so the next plain apply keeps it.
            await target.Kubectl.RequireAsync("rollout restart", ["rollout", "restart", "-n", ns.Name, .. deployments.Select(d => $"deployment/{d.Name}")], cancellationToken);
        }

        if (!options.Wait || deployments.Count == 0) return;
        await WaitHealthyAsync(ns.Name, deadline, options, cancellationToken);
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
        var stale = await StaleObjectsAsync(ns, declared, cancellationToken);
        if (stale.Count == 0) return;
        progress?.Invoke("removing objects the deployment no longer declares: " + string.Join(", ", stale));
        await target.Kubectl.RequireAsync("delete (prune)", ["delete", "-n", ns, "--wait=true", "--ignore-not-found", .. stale], cancellationToken,
            timeout: target.Options.DeleteTimeout + TimeSpan.FromSeconds(30));
    }

    /// <summary>Live objects with this deployment's label that D no longer declares (never PVs or PVCs: data is only deleted by --delete-volumes).</summary>
    public async Task<IReadOnlyList<string>> StaleObjectsAsync(string ns, IReadOnlySet<string> declared, CancellationToken cancellationToken)
    {
        var live = await target.Kubectl.RequireAsync("get (objects to prune)", ["get", KubernetesTarget.OwnedKinds, "-n", ns, "-l", target.Selector, "-o", "name"], cancellationToken);
        return KubernetesTarget.Lines(live.StandardOutput).Where(name => !declared.Contains(name)).Order(StringComparer.Ordinal).ToList();
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
    /// each one missing is said before anything is applied, with the command that creates it.
    /// </summary>
    private async Task WarnMissingSecretsAsync(string ns, CancellationToken cancellationToken)
    {
        var wanted = target.Session.Spec.Kubernetes.Secrets;
        if (wanted.Count == 0) return;
        var live = await target.Kubectl.RunAsync(["get", "secrets", "-n", ns, "-o", "name"], cancellationToken);
        if (!live.Succeeded && !Tools.Kubectl.IsNotFound(live))
        {
            target.Options.Warn($"could not list the Secrets of namespace {ns} to check the spec's secrets: {live.Tail()}");
            return;
        }

        var present = live.Succeeded ? KubernetesTarget.Lines(live.StandardOutput).ToHashSet(StringComparer.Ordinal) : [];
        foreach (var secret in wanted.Where(s => !present.Contains($"secret/{s.Name}")))
        {
            var keys = secret.Keys.Count > 0 ? secret.Keys : ["KEY"];
            var literals = string.Join(" ", keys.Select(k => $"--from-literal={k}=..."));
            target.Options.Warn(
                $"Secret {secret.Name} ({secret.Location}) does not exist in namespace {ns} yet: the pods start without {(secret.Keys.Count > 0 ? string.Join(", ", secret.Keys) : "its keys")}; "
                + $"create it with 'kubectl -n {ns} create secret generic {secret.Name} {literals}', then run restart");
        }
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
