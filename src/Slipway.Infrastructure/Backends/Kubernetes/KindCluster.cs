using System.Text.Json;
using Slipway.Core.Diagnostics;
using Slipway.Core.Kubernetes;
using Slipway.Core.Rendering.Kubernetes;
using Slipway.Infrastructure.Tools;
using Slipway.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Slipway.Infrastructure.Backends.Kubernetes;

/// <summary>
/// One kind cluster, driven through the kind CLI (and docker for the mount check). It is created only when the caller
/// asks (--perform-cluster-management); a running cluster is reused after checking that its mounts are the ones
/// D/kind-config.yml needs, because kind applies extraMounts only at creation (a volume's data would otherwise land
/// silently inside the node container).
/// </summary>
internal sealed class KindCluster(Kind kind, Docker docker, string name, string deploymentDirectory)
{
    public string Name { get; } = name;

    /// <summary>The kubectl context kind writes for the cluster.</summary>
    public string Context => $"kind-{Name}";

    public string ConfigFile => Path.Combine(deploymentDirectory, KubernetesRenderer.KindConfigFile);

    public async Task<bool> IsRunningAsync(CancellationToken cancellationToken) =>
        (await kind.ClustersAsync(deploymentDirectory, cancellationToken)).Contains(Name);

    /// <summary>
    /// The cluster-id a new k8s-kind deployment gets at deploy create: the running kind cluster's name, so it joins
    /// that cluster instead of asking for a second one; <paramref name="fresh"/> when none runs or kind is missing.
    /// With several running clusters the first in name order is taken and the others are named in the warning.
    /// </summary>
    public static async Task<(string ClusterId, string? Warning)> InheritClusterIdAsync(Kind kind, string fresh, string workingDirectory, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> clusters;
        try
        {
            clusters = await kind.ClustersAsync(workingDirectory, cancellationToken);
        }
        catch (SlipwayException ex)
        {
            return (fresh, $"could not list kind clusters ({ex.Message.Split('\n')[0]}); the deployment gets its own cluster-id {fresh}");
        }

        var sorted = clusters.Order(StringComparer.Ordinal).ToList();
        return sorted.Count switch
        {
            0 => (fresh, null),
            1 => (sorted[0], null),
            _ => (sorted[0], $"several kind clusters are running ({string.Join(", ", sorted)}); this deployment joins {sorted[0]} (edit cluster-id in deployment.yml to choose another)"),
        };
    }

    /// <summary>Makes sure the cluster runs: reuse (after the mount check), create when allowed, or refuse with the fix.</summary>
    public async Task EnsureAsync(bool performClusterManagement, Action<string>? progress, Action<string> warn, CancellationToken cancellationToken)
    {
        var running = await kind.ClustersAsync(deploymentDirectory, cancellationToken);
        if (running.Contains(Name))
        {
            progress?.Invoke($"using the running kind cluster {Name}");
            await CheckMountsAsync(warn, cancellationToken);
            return;
        }

        if (!performClusterManagement)
        {
            throw new SlipwayException(FailureReason.PrerequisiteMissing,
                $"no kind cluster named '{Name}' is running{(running.Count == 0 ? "" : $" (running: {string.Join(", ", running)})")}",
                $"start it with 'slipway deployment --dir {deploymentDirectory} start --perform-cluster-management'"
                + (running.Count == 0 ? "" : ", or set cluster-id in deployment.yml to the running cluster's name"));
        }

        if (!File.Exists(ConfigFile))
        {
            throw new SlipwayException(FailureReason.NotFound, $"{ConfigFile} does not exist: kind cannot create the cluster without it",
                "re-render the deployment directory with 'slipway deploy create --update'");
        }

        progress?.Invoke($"creating kind cluster {Name}");
        await kind.CreateAsync(Name, ConfigFile, deploymentDirectory, progress, cancellationToken);
    }

    /// <summary>The extraMounts of the control-plane node in D/kind-config.yml, host paths made absolute against D.</summary>
    public IReadOnlyList<KindMount> RequiredMounts()
    {
        if (!File.Exists(ConfigFile)) return [];
        var diagnostics = new DiagnosticBag();
        var documents = YamlDocuments.LoadAll(File.ReadAllText(ConfigFile), ConfigFile, diagnostics)
            ?? throw new SlipwayException(FailureReason.InvalidInput, string.Join(Environment.NewLine, diagnostics.Items.Select(d => d.ToString())));

        if (documents.Count == 0 || documents[0] is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("nodes"), out var nodes) || nodes is not YamlSequenceNode nodeList)
        {
            return [];
        }

        var mounts = new List<KindMount>();
        foreach (var node in nodeList.Children.OfType<YamlMappingNode>().Where(n => n.Scalar("role") is null or "control-plane").Take(1))
        {
            if (!node.Children.TryGetValue(new YamlScalarNode("extraMounts"), out var extra) || extra is not YamlSequenceNode list) continue;
            foreach (var mount in list.Children.OfType<YamlMappingNode>())
            {
                if (mount.Scalar("hostPath") is { Length: > 0 } host && mount.Scalar("containerPath") is { Length: > 0 } container)
                {
                    mounts.Add(new KindMount(Path.GetFullPath(Path.Combine(deploymentDirectory, host)), container));
                }
            }
        }

        return mounts;
    }

    /// <summary>
    /// Compares the required mounts with the live control-plane container's binds. A mismatch is refused: the volume's
    /// data would land inside the node container and vanish with it. Mounts that cannot be inspected only warn.
    /// </summary>
    public async Task CheckMountsAsync(Action<string> warn, CancellationToken cancellationToken)
    {
        var required = RequiredMounts();
        if (required.Count == 0) return;
        var node = $"{Name}-control-plane";
        var result = await docker.InspectAsync("{{json .Mounts}}", node, cancellationToken);
        if (!result.Succeeded)
        {
            warn($"could not inspect the mounts of {node} ({result.Tail(1)}); the volumes' host paths are not verified");
            return;
        }

        Dictionary<string, string> live;
        try
        {
            live = ParseMounts(result.StandardOutput);
        }
        catch (JsonException ex)
        {
            warn($"could not read the mounts of {node} ({ex.Message}); the volumes' host paths are not verified");
            return;
        }

        var problems = new List<string>();
        foreach (var mount in required)
        {
            if (!live.TryGetValue(mount.ContainerPath, out var source))
            {
                problems.Add($"{mount.ContainerPath}: expected host path '{mount.HostPath}', actual NOT MOUNTED");
            }
            else if (!SamePath(source, mount.HostPath))
            {
                problems.Add($"{mount.ContainerPath}: expected host path '{mount.HostPath}', actual '{source}'");
            }
        }

        if (problems.Count > 0)
        {
            var umbrella = live.TryGetValue("/mnt", out var root) ? root : null;
            throw new SlipwayException(FailureReason.Conflict,
                $"the running kind cluster '{Name}' was created without the mounts this deployment needs (kind applies extraMounts only at creation), so its volumes would live inside the node container:\n  "
                + string.Join("\n  ", problems),
                (umbrella is null ? "" : $"set kind-mount-root: {umbrella} in the spec (the cluster mounts it at /mnt) and run 'slipway deploy create --update', or ")
                + $"recreate the cluster with this deployment's {ConfigFile}: 'kind delete cluster --name {Name}' (this stops every deployment on it), then 'start --perform-cluster-management'");
        }
    }

    /// <summary><c>docker inspect --format '{{json .Mounts}}'</c>: destination → source of each bind.</summary>
    public static Dictionary<string, string> ParseMounts(string json)
    {
        var mounts = new Dictionary<string, string>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(json.Trim().Length == 0 ? "[]" : json);
        foreach (var mount in document.RootElement.EnumerateArray())
        {
            if (mount.TryGetProperty("Destination", out var destination) && mount.TryGetProperty("Source", out var source)
                && destination.GetString() is { } d && source.GetString() is { } s)
            {
                mounts[d.TrimEnd('/')] = s;
            }
        }

        return mounts;
    }

    /// <summary><c>docker cp</c> of a file of the control-plane node to the host (written as this user, output not captured in the log).</summary>
    public Task<Processes.ProcessResult> CopyFromNodeAsync(string nodePath, string hostPath, CancellationToken cancellationToken) =>
        docker.RunAsync(["cp", $"{Name}-control-plane:{nodePath}", hostPath], cancellationToken, TimeSpan.FromMinutes(1));

    public Task DeleteAsync(CancellationToken cancellationToken) => kind.DeleteAsync(Name, deploymentDirectory, cancellationToken);

    /// <summary>Copies local images into the cluster's nodes, so pods run what was just built (no registry involved).</summary>
    public Task LoadImagesAsync(IReadOnlyList<string> images, CancellationToken cancellationToken) =>
        kind.LoadImagesAsync(Name, images, deploymentDirectory, cancellationToken);

    private static bool SamePath(string a, string b) =>
        string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.Ordinal);
}
