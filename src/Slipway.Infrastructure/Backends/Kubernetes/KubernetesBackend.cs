using System.Globalization;
using System.Text;
using System.Text.Json;
using Slipway.Core;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Registry;
using YamlDotNet.RepresentationModel;

namespace Slipway.Infrastructure.Backends.Kubernetes;

/// <summary>What the Kubernetes backend needs from outside besides the runner; tests replace the clock, the delay and the environment.</summary>
public sealed record KubernetesBackendOptions
{
    public string Kubectl { get; init; } = "kubectl";

    public string Kind { get; init; } = "kind";

    public string Docker { get; init; } = "docker";

    /// <summary>Where registry-credentials' token-env is read (at run time, never stored).</summary>
    public Func<string, string?> GetEnvironment { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Warnings for the user (missing token, uninspectable kind mounts).</summary>
    public Action<string> Warn { get; init; } = _ => { };

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    /// <summary>How long run-job waits for a Job to complete or fail.</summary>
    public TimeSpan JobTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long stop waits for the deleted objects (and their pods) to be gone.</summary>
    public TimeSpan DeleteTimeout { get; init; } = TimeSpan.FromMinutes(2);
}

/// <summary>
/// Runs a deployment on Kubernetes by driving kubectl (and kind for k8s-kind) over the manifests deploy create rendered
/// into D/k8s. It depends only on the file contract: Slipway's labels on every object, the Namespace's
/// <c>slipway.io/owner</c> annotation, and the <c>&lt;id&gt;-registry</c> pull secret created here at apply time.
/// </summary>
public sealed class KubernetesBackend : IDeploymentBackend
{
    /// <summary>Namespaced kinds Slipway renders and therefore prunes and stops; PVCs only with --delete-volumes.</summary>
    private const string OwnedKinds = "deployments.apps,services,configmaps,secrets,ingresses.networking.k8s.io,jobs.batch";

    private readonly Deployment _deployment;
    private readonly IProcessRunner _runner;
    private readonly KubernetesBackendOptions _options;

    public KubernetesBackend(Deployment deployment, IProcessRunner runner, KubernetesBackendOptions? options = null)
    {
        if (!deployment.Target.IsKubernetes()) throw new ArgumentException("not a Kubernetes deployment", nameof(deployment));
        _deployment = deployment;
        _runner = runner;
        _options = options ?? new KubernetesBackendOptions();
        Cluster = deployment.Target == DeployTarget.K8sKind
            ? new KindCluster(runner, deployment.Identity.ClusterId, deployment.Layout.Directory, _options.Kind, _options.Docker)
            : null;
        var connection = Cluster is null
            ? new[] { "--kubeconfig", KubeconfigFile }
            : ["--context", Cluster.Context];
        Kubectl = new Kubectl(runner, _options.Kubectl, connection, deployment.Layout.Directory, deployment.SecretValues);
    }

    public Kubectl Kubectl { get; }

    /// <summary>The kind cluster of a k8s-kind deployment; null on k8s.</summary>
    public KindCluster? Cluster { get; }

    public string DeploymentId => _deployment.Identity.DeploymentId;

    public string Selector => $"{SlipwayLabels.DeploymentIdLabel}={DeploymentId}";

    public string ManifestsFile => Path.Combine(_deployment.Layout.Directory, "k8s", "manifests.yml");

    public string JobsFolder => Path.Combine(_deployment.Layout.Directory, "k8s", "jobs");

    public string KubeconfigFile => Path.Combine(_deployment.Layout.Directory, "kubeconfig.yml");

    // ---- apply -------------------------------------------------------------------------------------------------

    public async Task ApplyAsync(ApplyOptions options, CancellationToken cancellationToken)
    {
        if (options.Services.Count > 0)
        {
            throw new SlipwayException(FailureReason.InvalidInput,
                $"start on {_deployment.Target.ToName()} applies the whole deployment; naming services ({string.Join(", ", options.Services)}) is only supported on compose",
                "run start without service names");
        }

        var deadline = _options.Clock.GetUtcNow() + options.WaitTimeout;
        var manifests = LoadManifests();
        var ns = NamespaceOf(manifests);
        if (Cluster is not null)
        {
            await Cluster.EnsureAsync(options.PerformClusterManagement, options.Progress, _options.Warn, cancellationToken);
        }
        else
        {
            RequireKubeconfig();
        }

        await CheckNamespaceOwnerAsync(ns.Name, options.Progress, cancellationToken);
        if (manifests.Any(o => o.Kind == "PersistentVolume")) await ReleaseVolumesAsync(options.Progress, cancellationToken);
        var existingJobs = await ExistingJobsAsync(ns.Name, cancellationToken);
        var pullSecret = PullSecret(ns, warn: true);
        var batch = Batch(manifests, pullSecret, existingJobs, options.ImagePins);

        options.Progress?.Invoke($"applying {batch.Objects.Count} objects to namespace {ns.Name}");
        var applied = await Kubectl.RunAsync(["apply", "--server-side", "--field-manager=slipway", "-f", "-"], cancellationToken,
            standardInput: batch.Yaml, timeout: TimeSpan.FromMinutes(5), extraSecrets: pullSecret?.SecretForms, progress: options.Progress);
        if (!applied.Succeeded)
        {
            throw ApplyFailure(applied);
        }

        await PruneAsync(ns.Name, batch.Declared, options.Progress, cancellationToken);

        var deployments = manifests.Where(o => o.Kind == "Deployment").ToList();
        if (options.ForceRecreate && deployments.Count > 0)
        {
            // rollout restart stamps the pod template through its own field manager, so the next plain apply keeps it.
            await Kubectl.RequireAsync("rollout restart", ["rollout", "restart", "-n", ns.Name, .. deployments.Select(d => $"deployment/{d.Name}")], cancellationToken);
        }

        foreach (var deployment in deployments)
        {
            await WaitForRolloutAsync(ns.Name, deployment.Name, deadline, options, cancellationToken);
        }
    }

    /// <summary>The one stdin of start's apply: manifests, the pull secret, and the jobs that have not run yet.</summary>
    private sealed record ApplyBatch(IReadOnlyList<ManifestObject> Objects, string Yaml, IReadOnlySet<string> Declared);

    private ApplyBatch Batch(IReadOnlyList<ManifestObject> manifests, RegistryPullSecret? pullSecret, IReadOnlySet<string> existingJobs, IReadOnlyDictionary<string, string> pins)
    {
        var objects = new List<ManifestObject>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(ManifestObject o)
        {
            if (seen.Add($"{o.Kind}/{o.Namespace}/{o.Name}")) objects.Add(o);
        }

        // The Namespace goes first so everything after it has somewhere to land; the pull secret before the pods need it.
        foreach (var o in manifests.Where(o => o.Kind == "Namespace")) Add(o);
        if (pullSecret is not null) Add(pullSecret.Object);
        foreach (var o in manifests.Where(o => o.Kind != "Namespace")) Add(o);

        var declared = new HashSet<string>(objects.Select(o => o.ResourceName), StringComparer.Ordinal)
        {
            // Declared whenever the spec has registry-credentials: a token missing this once must not delete a working secret.
            KubernetesManifests.ResourceName("Secret", "", RegistryPullSecret.NameFor(DeploymentId)),
        };
        foreach (var o in LoadJobObjects())
        {
            declared.Add(o.ResourceName);
            // A Job's pod template is immutable and it already did its work: one that exists is left alone.
            if (o.Kind == "Job" && existingJobs.Contains(o.ResourceName)) continue;
            Add(o);
        }

        KubernetesManifests.PinImages(objects, pins);
        return new ApplyBatch(objects, KubernetesManifests.Serialize(objects), declared);
    }

    private SlipwayException ApplyFailure(ProcessResult applied)
    {
        if (applied.StandardError.Contains("Apply failed with", StringComparison.Ordinal) && applied.StandardError.Contains("conflict", StringComparison.Ordinal))
        {
            return new SlipwayException(FailureReason.Conflict,
                $"kubectl apply found fields of this deployment's objects that another field manager owns:\n{ConflictLines(applied.StandardError)}",
                "someone changed these objects with another tool (kubectl edit/apply, a controller); drop that change, or take the fields over once with "
                + $"'kubectl {string.Join(' ', Kubectl.Connection)} apply --server-side --field-manager=slipway --force-conflicts -f <objects>'");
        }

        return Kubectl.Failure("apply", applied, FailureReason.DeploymentFailed);
    }

    /// <summary>kubectl's conflict report without its generic advice paragraph.</summary>
    private static string ConflictLines(string stderr) =>
        string.Join('\n', stderr.Split('\n').Where(l => l.Contains("conflict", StringComparison.OrdinalIgnoreCase) || l.TrimStart().StartsWith("- .", StringComparison.Ordinal))
            .Where(l => !l.Contains("--force-conflicts", StringComparison.Ordinal) && !l.StartsWith("See ", StringComparison.Ordinal)).Distinct());

    private async Task PruneAsync(string ns, IReadOnlySet<string> declared, Action<string>? progress, CancellationToken cancellationToken)
    {
        var stale = await StaleObjectsAsync(ns, declared, cancellationToken);
        if (stale.Count == 0) return;
        progress?.Invoke("removing objects the deployment no longer declares: " + string.Join(", ", stale));
        await Kubectl.RequireAsync("delete (prune)", ["delete", "-n", ns, "--wait=true", "--ignore-not-found", .. stale], cancellationToken, timeout: _options.DeleteTimeout + TimeSpan.FromSeconds(30));
    }

    /// <summary>Live objects with this deployment's label that D no longer declares (never PVs or PVCs: data is only deleted by --delete-volumes).</summary>
    private async Task<IReadOnlyList<string>> StaleObjectsAsync(string ns, IReadOnlySet<string> declared, CancellationToken cancellationToken)
    {
        var live = await Kubectl.RequireAsync("get (objects to prune)", ["get", OwnedKinds, "-n", ns, "-l", Selector, "-o", "name"], cancellationToken);
        return Lines(live.StandardOutput).Where(name => !declared.Contains(name)).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// A PV whose claim was deleted (with its namespace) stays Released with a stale claimRef, and the re-created claim
    /// would never bind (⚠ §6.1). Our own Released PVs get their claimRef cleared so they bind again, data intact.
    /// </summary>
    private async Task ReleaseVolumesAsync(Action<string>? progress, CancellationToken cancellationToken)
    {
        var volumes = await Kubectl.RequireAsync("get persistentvolumes", ["get", "persistentvolumes", "-l", Selector, "-o", "json"], cancellationToken);
        foreach (var item in Items(volumes.StandardOutput))
        {
            if (!item.TryGetProperty("status", out var status) || !status.TryGetProperty("phase", out var phase) || phase.GetString() != "Released") continue;
            var name = item.GetProperty("metadata").GetProperty("name").GetString()!;
            progress?.Invoke($"persistentvolume/{name} was released by a deleted claim; making it claimable again");
            await Kubectl.RequireAsync($"patch persistentvolume {name}", ["patch", "persistentvolume", name, "--type=json", "-p", "[{\"op\":\"remove\",\"path\":\"/spec/claimRef\"}]"], cancellationToken);
        }
    }

    private async Task<IReadOnlySet<string>> ExistingJobsAsync(string ns, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(JobsFolder)) return new HashSet<string>();
        var result = await Kubectl.RequireAsync("get jobs", ["get", "jobs.batch", "-n", ns, "-l", Selector, "-o", "name"], cancellationToken);
        return Lines(result.StandardOutput).ToHashSet(StringComparer.Ordinal);
    }

    private async Task WaitForRolloutAsync(string ns, string name, DateTimeOffset deadline, ApplyOptions options, CancellationToken cancellationToken)
    {
        var remaining = deadline - _options.Clock.GetUtcNow();
        var seconds = Math.Max(1, (int)Math.Ceiling(remaining.TotalSeconds));
        options.Progress?.Invoke($"waiting for deployment/{name} to roll out");
        var result = await Kubectl.RunAsync(["rollout", "status", $"deployment/{name}", "-n", ns, $"--timeout={seconds}s"], cancellationToken,
            timeout: TimeSpan.FromSeconds(seconds + 30), progress: options.Progress);
        if (result.Succeeded) return;
        var timedOut = result.TimedOut
            || result.StandardError.Contains("timed out", StringComparison.OrdinalIgnoreCase)
            || result.StandardError.Contains("exceeded its progress deadline", StringComparison.Ordinal);
        throw new SlipwayException(timedOut ? FailureReason.VerifyTimeout : FailureReason.DeploymentFailed,
            timedOut
                ? $"deployment/{name} in namespace {ns} did not finish rolling out within {(int)options.WaitTimeout.TotalSeconds}s:\n{result.Tail()}"
                : $"kubectl rollout status deployment/{name} failed (exit code {result.ExitCode}):\n{result.Tail()}",
            $"see why with 'slipway deployment --dir {_deployment.Layout.Directory} status' and 'logs'; or raise --wait-timeout");
    }

    // ---- namespace ownership -------------------------------------------------------------------------------------

    /// <summary>
    /// Refuses a namespace another deployment directory owns (naming the spec's namespace: override); an existing
    /// namespace without an owner is adopted (the apply sets the annotation, which the Namespace object carries).
    /// </summary>
    private async Task<JsonElement?> CheckNamespaceOwnerAsync(string ns, Action<string>? progress, CancellationToken cancellationToken)
    {
        var result = await Kubectl.RunAsync(["get", "namespace", ns, "-o", "json"], cancellationToken);
        if (Kubectl.IsNotFound(result)) return null;
        if (!result.Succeeded) throw Kubectl.Failure($"get namespace {ns}", result, FailureReason.DeploymentFailed, ConnectionHint());
        var root = JsonDocument.Parse(result.StandardOutput.Trim() is { Length: > 0 } json ? json : "{}").RootElement.Clone();
        var owner = Annotation(root, SlipwayLabels.OwnerAnnotation) ?? Annotation(root, SlipwayLabels.LaconicOwnerAnnotation);
        if (owner is null)
        {
            progress?.Invoke($"adopting the existing namespace {ns} (it had no owner)");
            return root;
        }

        if (!SameDirectory(owner, _deployment.Layout.Directory))
        {
            throw new SlipwayException(FailureReason.Conflict,
                $"namespace '{ns}' is already owned by the deployment at {owner}; deploying {_deployment.Layout.Directory} there would mix and prune each other's objects",
                $"give this deployment its own namespace: set 'namespace: {ns}-2' (any unused name) in the spec, then run 'slipway deploy create --update'");
        }

        return root;
    }

    private static string? Annotation(JsonElement item, string key) =>
        item.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("annotations", out var annotations)
        && annotations.ValueKind == JsonValueKind.Object && annotations.TryGetProperty(key, out var value) ? value.GetString() : null;

    private static bool SameDirectory(string a, string b) => string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.Ordinal);

    // ---- stop ----------------------------------------------------------------------------------------------------

    public async Task<StopOutcome> StopAsync(StopOptions options, CancellationToken cancellationToken)
    {
        var ns = NamespaceOf(LoadManifests()).Name;
        if (Cluster is not null)
        {
            var running = await KindCluster.ListAsync(_runner, _options.Kind, _deployment.Layout.Directory, cancellationToken);
            if (!running.Contains(Cluster.Name))
            {
                // Nothing can be left: the objects lived in the cluster.
                options.Progress?.Invoke($"kind cluster {Cluster.Name} is not running; nothing to stop");
                return new StopOutcome([], []);
            }
        }
        else
        {
            RequireKubeconfig();
        }

        if (options.DeleteNamespace && !options.DeleteVolumes)
        {
            // Deleting a namespace deletes every claim in it, and with them provisioned data: only when --delete-volumes says so.
            var claims = await Kubectl.RequireAsync("get persistentvolumeclaims", ["get", "persistentvolumeclaims", "-n", ns, "-o", "name"], cancellationToken);
            if (Lines(claims.StandardOutput).ToList() is { Count: > 0 } list)
            {
                throw new SlipwayException(FailureReason.Conflict,
                    $"deleting namespace {ns} would also delete its volume claims ({string.Join(", ", list)}) and the data of provisioned volumes; nothing was stopped",
                    "add --delete-volumes if you mean to delete them, or stop without --delete-namespace");
            }
        }

        options.Progress?.Invoke($"deleting the objects of {DeploymentId} in namespace {ns}");
        // Foreground cascading with --wait returns only when the pods are gone too, so an immediate start cannot race them.
        await Kubectl.RequireAsync("delete", ["delete", OwnedKinds, "-n", ns, "-l", Selector, "--cascade=foreground", "--wait=true", "--ignore-not-found",
            $"--timeout={(int)_options.DeleteTimeout.TotalSeconds}s"], cancellationToken, timeout: _options.DeleteTimeout + TimeSpan.FromSeconds(30));

        var removed = new List<string>();
        var keptPaths = new List<string>();
        if (options.DeleteVolumes)
        {
            (removed, keptPaths) = await DeleteVolumesAsync(ns, options.Progress, cancellationToken);
        }

        if (options.DeleteNamespace)
        {
            var live = await CheckNamespaceOwnerAsync(ns, null, cancellationToken);
            if (live is not null)
            {
                if (Annotation(live.Value, SlipwayLabels.OwnerAnnotation) is null)
                {
                    throw new SlipwayException(FailureReason.Conflict, $"namespace '{ns}' has no owner annotation, so it is not this deployment's to delete",
                        "delete it yourself with kubectl if you mean to");
                }

                options.Progress?.Invoke($"deleting namespace {ns}");
                await Kubectl.RequireAsync($"delete namespace {ns}", ["delete", "namespace", ns, "--wait=true", "--ignore-not-found", $"--timeout={(int)_options.DeleteTimeout.TotalSeconds}s"],
                    cancellationToken, timeout: _options.DeleteTimeout + TimeSpan.FromSeconds(30));
            }
        }

        if (Cluster is not null && options.PerformClusterManagement)
        {
            var others = await OtherOwnersAsync(cancellationToken);
            if (others.Count > 0)
            {
                throw new SlipwayException(FailureReason.Conflict,
                    $"this deployment's objects are removed, but the kind cluster '{Cluster.Name}' is kept: other deployments use it ({string.Join(", ", others)})",
                    "stop those first, or delete the cluster yourself with 'kind delete cluster --name " + Cluster.Name + "'");
            }

            options.Progress?.Invoke($"deleting kind cluster {Cluster.Name}");
            await Cluster.DeleteAsync(cancellationToken);
        }

        return new StopOutcome(removed, keptPaths);
    }

    /// <summary>Deletes this deployment's PVCs and its own PVs (by deployment-id label: never another deployment's, ⚠ §6.1).</summary>
    private async Task<(List<string> Removed, List<string> KeptPaths)> DeleteVolumesAsync(string ns, Action<string>? progress, CancellationToken cancellationToken)
    {
        // Listed first: deleting data is only done when we can say what goes (DESIGN §5).
        var claims = await Kubectl.RequireAsync("get persistentvolumeclaims", ["get", "persistentvolumeclaims", "-n", ns, "-l", Selector, "-o", "name"], cancellationToken);
        var volumes = await Kubectl.RequireAsync("get persistentvolumes", ["get", "persistentvolumes", "-l", Selector, "-o", "json"], cancellationToken);
        var claimNames = Lines(claims.StandardOutput).Order(StringComparer.Ordinal).ToList();
        var volumeNames = new List<string>();
        var hostPaths = new List<string>();
        foreach (var item in Items(volumes.StandardOutput))
        {
            volumeNames.Add("persistentvolume/" + item.GetProperty("metadata").GetProperty("name").GetString());
            if (item.TryGetProperty("spec", out var spec) && spec.TryGetProperty("hostPath", out var hostPath) && hostPath.TryGetProperty("path", out var path) && path.GetString() is { } p)
            {
                hostPaths.Add(HostPathOnMachine(p));
            }
        }

        volumeNames.Sort(StringComparer.Ordinal);
        if (claimNames.Count > 0)
        {
            progress?.Invoke("deleting " + string.Join(", ", claimNames));
            await Kubectl.RequireAsync("delete persistentvolumeclaims", ["delete", "-n", ns, "--wait=true", "--ignore-not-found", .. claimNames], cancellationToken,
                timeout: _options.DeleteTimeout + TimeSpan.FromSeconds(30));
        }

        if (volumeNames.Count > 0)
        {
            progress?.Invoke("deleting " + string.Join(", ", volumeNames));
            await Kubectl.RequireAsync("delete persistentvolumes", ["delete", "--wait=true", "--ignore-not-found", .. volumeNames], cancellationToken,
                timeout: _options.DeleteTimeout + TimeSpan.FromSeconds(30));
        }

        return ([.. claimNames, .. volumeNames], hostPaths.Distinct().ToList());
    }

    /// <summary>A hostPath PV's path as the operator finds it: on kind, the node path mapped back through kind-config's mounts.</summary>
    private string HostPathOnMachine(string nodePath)
    {
        if (Cluster is null) return nodePath;
        foreach (var mount in Cluster.RequiredMounts().OrderByDescending(m => m.ContainerPath.Length))
        {
            var prefix = mount.ContainerPath.TrimEnd('/');
            if (nodePath == prefix) return mount.HostPath;
            if (nodePath.StartsWith(prefix + "/", StringComparison.Ordinal)) return Path.Combine(mount.HostPath, nodePath[(prefix.Length + 1)..]);
        }

        return $"{nodePath} (inside the kind node)";
    }

    /// <summary>Deployment directories other than this one that own a namespace in the cluster.</summary>
    private async Task<IReadOnlyList<string>> OtherOwnersAsync(CancellationToken cancellationToken)
    {
        var result = await Kubectl.RequireAsync("get namespaces", ["get", "namespaces", "-o", "json"], cancellationToken);
        return Items(result.StandardOutput)
            .Select(item => Annotation(item, SlipwayLabels.OwnerAnnotation) ?? Annotation(item, SlipwayLabels.LaconicOwnerAnnotation))
            .OfType<string>()
            .Where(owner => !SameDirectory(owner, _deployment.Layout.Directory))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    // ---- plan ----------------------------------------------------------------------------------------------------

    public async Task<IReadOnlyList<PlannedChange>> PlanAsync(ApplyOptions options, CancellationToken cancellationToken)
    {
        var manifests = LoadManifests();
        var ns = NamespaceOf(manifests);
        var pullSecret = PullSecret(ns, warn: false);
        if (Cluster is not null && !(await KindCluster.ListAsync(_runner, _options.Kind, _deployment.Layout.Directory, cancellationToken)).Contains(Cluster.Name))
        {
            var all = Batch(manifests, pullSecret, new HashSet<string>(), options.ImagePins);
            return all.Objects.Select(o => new PlannedChange(o.Kind, o.Name, "create", $"kind cluster {Cluster.Name} is not running")).ToList();
        }

        if (Cluster is null) RequireKubeconfig();
        var nsLive = await CheckNamespaceOwnerAsync(ns.Name, null, cancellationToken);
        var existingJobs = nsLive is null ? new HashSet<string>() : await ExistingJobsAsync(ns.Name, cancellationToken);
        var batch = Batch(manifests, pullSecret, existingJobs, options.ImagePins);
        var diff = await _runner.RunAsync(new ProcessSpec(Kubectl.Executable, Kubectl.Arguments(["diff", "--server-side", "--field-manager=slipway", "-f", "-"]))
        {
            WorkingDirectory = _deployment.Layout.Directory,
            StandardInput = batch.Yaml,
            Timeout = TimeSpan.FromMinutes(2),
            Secrets = [.. _deployment.SecretValues, .. pullSecret?.SecretForms ?? []],
            // The default external diff (diff -u -N over two folders) is what ParseDiff reads.
            Environment = new Dictionary<string, string?> { ["KUBECTL_EXTERNAL_DIFF"] = null },
        }, cancellationToken);
        if (diff.ExitCode > 1 || diff.TimedOut)
        {
            throw Kubectl.Failure("diff", diff, FailureReason.DeploymentFailed);
        }

        var changes = ParseDiff(diff.ExitCode == 0 ? "" : diff.StandardOutput, batch.Objects).ToList();
        changes.AddRange(LoadJobObjects().Where(o => o.Kind == "Job" && existingJobs.Contains(o.ResourceName))
            .Select(o => new PlannedChange(o.Kind, o.Name, "unchanged", "already ran; not recreated")));
        if (nsLive is not null)
        {
            foreach (var stale in await StaleObjectsAsync(ns.Name, batch.Declared, cancellationToken))
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

    // ---- diagnose, images ----------------------------------------------------------------------------------------

    public async Task<string> DiagnoseAsync(int tailLines, CancellationToken cancellationToken)
    {
        var ns = NamespaceOf(LoadManifests()).Name;
        var text = new StringBuilder();
        string[][] commands =
        [
            ["get", "pods", "-n", ns, "-l", Selector, "-o", "wide"],
            ["describe", "pods", "-n", ns, "-l", Selector],
            ["get", "events", "-n", ns, "--sort-by=.lastTimestamp"],
            ["logs", "-n", ns, "-l", Selector, "--all-containers", "--prefix", "--max-log-requests=50", $"--tail={tailLines.ToString(CultureInfo.InvariantCulture)}"],
        ];
        foreach (var command in commands)
        {
            text.Append("$ kubectl ").AppendJoin(' ', command).Append('\n');
            try
            {
                var result = await Kubectl.RunAsync(command, cancellationToken, timeout: TimeSpan.FromMinutes(1));
                text.Append(result.StandardOutput);
                if (!result.Succeeded) text.Append($"(exit code {result.ExitCode}{(result.TimedOut ? ", timed out" : "")})\n").Append(result.StandardError);
            }
            catch (ToolNotFoundException ex)
            {
                // A diagnosis is best effort: it runs after something else already failed.
                text.Append(ex.Message).Append('\n');
                break;
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>kind: loads the locally built images into the cluster. k8s: the cluster pulls from the registry, nothing to do.</summary>
    public Task LoadImagesAsync(IReadOnlyList<string> images, CancellationToken cancellationToken) =>
        Cluster is null ? Task.CompletedTask : Cluster.LoadImagesAsync(images, cancellationToken);

    // ---- status, logs, port, exec, run-job -----------------------------------------------------------------------

    public async Task<IReadOnlyList<ServiceState>> StatusAsync(CancellationToken cancellationToken)
    {
        var ns = NamespaceOf(LoadManifests()).Name;
        var result = await Kubectl.RequireAsync("get pods", ["get", "pods", "-n", ns, "-l", Selector, "-o", "json"], cancellationToken);
        return ParsePods(result.StandardOutput);
    }

    /// <summary>
    /// One state per container of every pod carrying the deployment-id label, so every pod of a multi-pod stack shows
    /// (⚠ §6.4: laconic-so matched pod names and missed them). Job pods are left out, as compose leaves out one-offs.
    /// </summary>
    public static IReadOnlyList<ServiceState> ParsePods(string json)
    {
        var states = new List<ServiceState>();
        foreach (var pod in Items(json))
        {
            var metadata = pod.GetProperty("metadata");
            if (metadata.TryGetProperty("labels", out var labels) && (labels.TryGetProperty("job-name", out _) || labels.TryGetProperty("batch.kubernetes.io/job-name", out _))) continue;
            var name = metadata.GetProperty("name").GetString() ?? "";
            var id = metadata.TryGetProperty("uid", out var uid) ? (uid.GetString() ?? "").Replace("-", "", StringComparison.Ordinal) : "";
            var terminating = metadata.TryGetProperty("deletionTimestamp", out _);
            var status = pod.TryGetProperty("status", out var s) ? s : default;
            var phase = status.ValueKind == JsonValueKind.Object && status.TryGetProperty("phase", out var p) ? (p.GetString() ?? "").ToLowerInvariant() : "unknown";
            var containerStatuses = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            if (status.ValueKind == JsonValueKind.Object && status.TryGetProperty("containerStatuses", out var cs))
            {
                foreach (var c in cs.EnumerateArray()) containerStatuses[c.GetProperty("name").GetString() ?? ""] = c;
            }

            foreach (var container in pod.GetProperty("spec").GetProperty("containers").EnumerateArray())
            {
                var service = container.GetProperty("name").GetString() ?? "";
                var ports = new List<PublishedPort>();
                if (container.TryGetProperty("ports", out var declared))
                {
                    foreach (var port in declared.EnumerateArray())
                    {
                        var protocol = port.TryGetProperty("protocol", out var proto) ? (proto.GetString() ?? "TCP").ToLowerInvariant() : "tcp";
                        ports.Add(new PublishedPort("", 0, port.GetProperty("containerPort").GetInt32(), protocol));
                    }
                }

                string state;
                string? health = null;
                if (terminating)
                {
                    state = "terminating";
                }
                else if (containerStatuses.TryGetValue(service, out var c) && c.TryGetProperty("state", out var st))
                {
                    state = st.TryGetProperty("running", out _) ? "running"
                        : st.TryGetProperty("waiting", out var waiting) ? "waiting: " + Reason(waiting)
                        : st.TryGetProperty("terminated", out var terminated) ? "exited: " + Reason(terminated)
                        : phase;
                    if (state == "running") health = c.TryGetProperty("ready", out var ready) && ready.GetBoolean() ? "ready" : "not ready";
                }
                else
                {
                    state = phase;
                }

                states.Add(new ServiceState(service, name, id[..Math.Min(12, id.Length)], state, health, ports));
            }
        }

        return states.OrderBy(s => s.Service, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    private static string Reason(JsonElement state) => state.TryGetProperty("reason", out var reason) ? reason.GetString() ?? "?" : "?";

    public async Task<int> LogsAsync(LogsOptions options, CancellationToken cancellationToken)
    {
        var ns = NamespaceOf(LoadManifests()).Name;
        // With a selector kubectl shows only 10 lines unless told otherwise; -1 means all, as compose does.
        string[] common = ["--prefix", $"--tail={(options.Tail ?? -1).ToString(CultureInfo.InvariantCulture)}", "--max-log-requests=50", .. options.Follow ? new[] { "--follow", "--ignore-errors" } : []];
        if (options.Services.Count == 0)
        {
            return await Kubectl.InheritAsync(["logs", "-n", ns, "-l", Selector, "--all-containers", .. common], cancellationToken);
        }

        var manifests = LoadManifests();
        var runs = options.Services.Select(service =>
        {
            var pod = PodOf(manifests, service);
            return Kubectl.InheritAsync(["logs", "-n", ns, "-l", $"{Selector},{SlipwayLabels.PodLabel}={pod.TemplateLabel(SlipwayLabels.PodLabel)}", "-c", service, .. common], cancellationToken);
        }).ToList();
        var codes = await Task.WhenAll(runs);
        return codes.Max();
    }

    public async Task<string> PortAsync(string service, string port, CancellationToken cancellationToken)
    {
        var manifests = LoadManifests();
        var ns = NamespaceOf(manifests).Name;
        var deployment = PodOf(manifests, service);
        var slash = port.IndexOf('/');
        var number = slash < 0 ? port : port[..slash];
        var protocol = slash < 0 ? "TCP" : port[(slash + 1)..].ToUpperInvariant();
        if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var target))
        {
            throw new SlipwayException(FailureReason.InvalidInput, $"'{port}' is not a port: give a number, e.g. 80 or 53/udp");
        }

        var pod = deployment.TemplateLabel(SlipwayLabels.PodLabel);
        foreach (var svc in manifests.Where(o => o.Kind == "Service" && o.Node.Child("spec")?.Scalar("type") == "NodePort"))
        {
            var spec = svc.Node.Child("spec")!;
            var forService = svc.Label(SlipwayLabels.ServiceLabel);
            if (forService.Length > 0 ? forService != service : spec.Child("selector")?.Scalar(SlipwayLabels.PodLabel) != pod) continue;
            if (!spec.Children.TryGetValue(new YamlScalarNode("ports"), out var portsNode) || portsNode is not YamlSequenceNode ports) continue;
            foreach (var entry in ports.Children.OfType<YamlMappingNode>())
            {
                var entryTarget = entry.Scalar("targetPort") ?? entry.Scalar("port");
                if (entryTarget != number || (entry.Scalar("protocol") ?? "TCP") != protocol) continue;
                var servicePort = entry.Scalar("port");
                var nodePort = await Kubectl.RequireAsync($"get service {svc.Name}", ["get", "service", svc.Name, "-n", ns, "-o", $"jsonpath={{.spec.ports[?(@.port=={servicePort})].nodePort}}"], cancellationToken, FailureReason.NotFound);
                var address = await Kubectl.RequireAsync("get nodes", ["get", "nodes", "-o", "jsonpath={.items[0].status.addresses[?(@.type==\"InternalIP\")].address}"], cancellationToken);
                var host = address.StandardOutput.Trim();
                var published = nodePort.StandardOutput.Trim();
                if (host.Length == 0 || published.Length == 0)
                {
                    throw new SlipwayException(FailureReason.NotFound, $"the NodePort of service {svc.Name} (port {servicePort}) or a node address is not known yet", "check that the deployment is started");
                }

                return $"{host}:{published}";
            }
        }

        throw new SlipwayException(FailureReason.NotFound,
            $"service '{service}' has no NodePort for port {port} on {_deployment.Target.ToName()}; reach it through a port-forward instead",
            $"kubectl {string.Join(' ', Kubectl.Connection)} port-forward -n {ns} deployment/{deployment.Name} {number}:{number}  (or list the port under network.ports in the spec for a NodePort)");
    }

    public Task<int> ExecAsync(string service, IReadOnlyList<string> command, bool interactive, CancellationToken cancellationToken)
    {
        var manifests = LoadManifests();
        var ns = NamespaceOf(manifests).Name;
        var deployment = PodOf(manifests, service);
        // -i always (so piped input reaches the command, as compose exec does); a TTY only when both ends are a terminal.
        return Kubectl.InheritAsync(["exec", "-n", ns, "-i", .. interactive ? new[] { "-t" } : [], $"deployment/{deployment.Name}", "-c", service, "--", .. command], cancellationToken);
    }

    public async Task<int> RunJobAsync(string job, CancellationToken cancellationToken)
    {
        if (!_deployment.Stack.Jobs.Contains(job))
        {
            throw new SlipwayException(FailureReason.NotFound, $"the stack has no job '{job}'",
                _deployment.Stack.Jobs.Count == 0 ? "the stack defines no jobs" : "jobs: " + string.Join(", ", _deployment.Stack.Jobs));
        }

        var manifests = LoadManifests();
        var ns = NamespaceOf(manifests);
        var file = Path.Combine(JobsFolder, $"{job}.yml");
        var jobObjects = KubernetesManifests.Load(file);
        var jobObject = jobObjects.FirstOrDefault(o => o.Kind == "Job")
            ?? throw new SlipwayException(FailureReason.InvalidInput, $"{file} has no Job object", "re-render it with 'slipway deploy create --update'");
        if (Cluster is not null) await Cluster.EnsureAsync(performClusterManagement: false, null, _options.Warn, cancellationToken);
        else RequireKubeconfig();
        await CheckNamespaceOwnerAsync(ns.Name, null, cancellationToken);

        // A Job cannot be re-run in place: the previous run (from start or an earlier run-job) is removed first.
        await Kubectl.RequireAsync($"delete job {jobObject.Name}", ["delete", jobObject.ResourceName, "-n", ns.Name, "--ignore-not-found", "--cascade=foreground", "--wait=true"], cancellationToken,
            timeout: _options.DeleteTimeout + TimeSpan.FromSeconds(30));
        var pullSecret = PullSecret(ns, warn: true);
        var objects = new List<ManifestObject> { ns };
        if (pullSecret is not null) objects.Add(pullSecret.Object);
        objects.AddRange(jobObjects);
        var applied = await Kubectl.RunAsync(["apply", "--server-side", "--field-manager=slipway", "-f", "-"], cancellationToken,
            standardInput: KubernetesManifests.Serialize(objects), timeout: TimeSpan.FromMinutes(2), extraSecrets: pullSecret?.SecretForms);
        if (!applied.Succeeded) throw ApplyFailure(applied);

        var outcome = await WaitForJobAsync(ns.Name, jobObject.Name, cancellationToken);
        await Kubectl.InheritAsync(["logs", "-n", ns.Name, jobObject.ResourceName, "--all-containers", "--prefix"], cancellationToken);
        return outcome;
    }

    /// <summary>Polls the Job until its Complete or Failed condition; the exit code is the failed container's, or 1.</summary>
    private async Task<int> WaitForJobAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var deadline = _options.Clock.GetUtcNow() + _options.JobTimeout;
        while (true)
        {
            var result = await Kubectl.RequireAsync($"get job {name}", ["get", "job.batch/" + name, "-n", ns, "-o", "json"], cancellationToken);
            var job = JsonDocument.Parse(result.StandardOutput).RootElement;
            if (job.TryGetProperty("status", out var status) && status.TryGetProperty("conditions", out var conditions))
            {
                foreach (var condition in conditions.EnumerateArray())
                {
                    if (condition.GetProperty("status").GetString() != "True") continue;
                    switch (condition.GetProperty("type").GetString())
                    {
                        case "Complete":
                            return 0;
                        case "Failed":
                            return await FailedJobExitCodeAsync(ns, name, cancellationToken);
                    }
                }
            }

            if (_options.Clock.GetUtcNow() >= deadline)
            {
                throw new SlipwayException(FailureReason.VerifyTimeout, $"job {name} did not finish within {_options.JobTimeout.TotalMinutes:0} minutes",
                    $"see its pod with 'kubectl {string.Join(' ', Kubectl.Connection)} describe pods -n {ns} -l job-name={name}'");
            }

            await _options.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }
    }

    private async Task<int> FailedJobExitCodeAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var pods = await Kubectl.RunAsync(["get", "pods", "-n", ns, "-l", $"job-name={name}", "-o", "json"], cancellationToken);
        if (!pods.Succeeded) return 1;
        foreach (var pod in Items(pods.StandardOutput))
        {
            if (!pod.TryGetProperty("status", out var status) || !status.TryGetProperty("containerStatuses", out var containers)) continue;
            foreach (var container in containers.EnumerateArray())
            {
                if (container.TryGetProperty("state", out var state) && state.TryGetProperty("terminated", out var terminated)
                    && terminated.TryGetProperty("exitCode", out var code) && code.GetInt32() != 0)
                {
                    return code.GetInt32();
                }
            }
        }

        return 1;
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private IReadOnlyList<ManifestObject> LoadManifests() => KubernetesManifests.Load(ManifestsFile);

    private IReadOnlyList<ManifestObject> LoadJobObjects() =>
        Directory.Exists(JobsFolder)
            ? Directory.EnumerateFiles(JobsFolder, "*.yml").Order(StringComparer.Ordinal).SelectMany(KubernetesManifests.Load).ToList()
            : [];

    private ManifestObject NamespaceOf(IReadOnlyList<ManifestObject> manifests) =>
        manifests.FirstOrDefault(o => o.Kind == "Namespace")
        ?? throw new SlipwayException(FailureReason.InvalidInput, $"{ManifestsFile} declares no Namespace: Slipway refuses to apply into a namespace it cannot check the owner of",
            "re-render it with 'slipway deploy create --update'");

    /// <summary>The Deployment whose pod runs <paramref name="service"/> (one per pod; containers are named after services).</summary>
    private static ManifestObject PodOf(IReadOnlyList<ManifestObject> manifests, string service)
    {
        var deployments = manifests.Where(o => o.Kind == "Deployment").ToList();
        return deployments.FirstOrDefault(d => d.Containers().Any(c => c.Scalar("name") == service))
            ?? throw new SlipwayException(FailureReason.NotFound, $"no pod of this deployment runs a service '{service}'",
                "services: " + string.Join(", ", deployments.SelectMany(d => d.Containers()).Select(c => c.Scalar("name")).Distinct()));
    }

    private void RequireKubeconfig()
    {
        if (!File.Exists(KubeconfigFile))
        {
            throw new SlipwayException(FailureReason.PrerequisiteMissing, $"{KubeconfigFile} does not exist: deploy-to k8s talks to the cluster only through it",
                "set kube-config in the spec and run 'slipway deploy create --update'");
        }
    }

    private string ConnectionHint() => Cluster is null
        ? $"check that the cluster in {KubeconfigFile} is reachable: 'kubectl --kubeconfig {KubeconfigFile} get namespaces'"
        : $"check that the kind cluster is healthy: 'kubectl --context {Cluster.Context} get nodes'";

    /// <summary>
    /// The registry pull secret when the spec has registry-credentials and the token is there; a missing token is a
    /// warning (pods then pull anonymously) and null.
    /// </summary>
    private RegistryPullSecret? PullSecret(ManifestObject ns, bool warn)
    {
        var spec = LoadSpec();
        if (spec.RegistryCredentials is not { } credentials) return null;
        var specDirectory = _deployment.Identity.SpecSource is { } source ? Path.GetDirectoryName(source)! : _deployment.Layout.Directory;
        var token = RegistryToken.Resolve(credentials, specDirectory, _options.GetEnvironment);
        if (!token.HasToken)
        {
            if (warn) _options.Warn($"{token.Warning}; the {RegistryPullSecret.NameFor(DeploymentId)} pull secret is not created or updated, so private images may fail to pull");
            return null;
        }

        if (credentials.Username is null && warn)
        {
            _options.Warn($"registry-credentials ({credentials.Location}) has no username; the pull secret uses 'slipway', which registries that check it will refuse");
        }

        var stack = ns.Label(SlipwayLabels.StackLabel);
        return RegistryPullSecret.Build(DeploymentId, ns.Name, stack, credentials.Server, credentials.Username ?? "slipway", token.Token!);
    }

    private Spec LoadSpec()
    {
        var diagnostics = new DiagnosticBag();
        var spec = SpecParser.Parse(File.ReadAllText(_deployment.Layout.Spec), _deployment.Layout.Spec, diagnostics);
        diagnostics.ThrowIfErrors();
        return spec;
    }

    private static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static List<JsonElement> Items(string json)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        var root = JsonDocument.Parse(json).RootElement;
        return root.TryGetProperty("items", out var items) ? items.EnumerateArray().Select(i => i.Clone()).ToList() : [];
    }
}
