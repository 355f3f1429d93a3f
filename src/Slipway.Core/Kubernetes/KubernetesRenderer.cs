using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Slipway.Core.Compose;
using Slipway.Core.Config;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Files;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;
using Slipway.Core.Yaml;

namespace Slipway.Core.Kubernetes;

/// <summary>Everything the Kubernetes translation needs, already read: no I/O happens while rendering.</summary>
public sealed record KubernetesInputs
{
    public required Spec Spec { get; init; }

    public required StackBundle Bundle { get; init; }

    public required string DeploymentId { get; init; }

    /// <summary>Absolute path of D: owner annotation of the namespace, base of kind's relative volumes.</summary>
    public required string DeploymentDirectory { get; init; }

    /// <summary>The final config values (config.env: spec config with generated secrets resolved, then env-files).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Config { get; init; } = [];

    /// <summary>Bytes of the spec's kube-config (deploy-to k8s).</summary>
    public byte[]? KubeConfig { get; init; }

    public required IHostFiles HostFiles { get; init; }
}

/// <summary>The rendered Kubernetes side of a deployment directory.</summary>
public sealed record KubernetesRendering
{
    public required string Namespace { get; init; }

    /// <summary>Objects applied at every start, in apply order.</summary>
    public required IReadOnlyList<JsonObject> Objects { get; init; }

    /// <summary>Each job's objects, by job name.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<JsonObject>> Jobs { get; init; }

    public required IReadOnlyList<RenderedFile> Files { get; init; }

    public required IReadOnlyList<VolumePlacement> Volumes { get; init; }

    public IReadOnlyList<Diagnostic> Warnings { get; init; } = [];
}

/// <summary>
/// Compose services → Kubernetes objects (reference/laconic-so.md §4.5–4.7, DESIGN §3.2), without laconic-so's
/// known bugs: every name starts with the deployment-id, every object carries Slipway's labels, every pod template
/// the hash of the config it consumes. The invariant checker runs on every render.
/// </summary>
public static class KubernetesRenderer
{
    /// <summary>What one ConfigMap made from host files may hold (the API's limit is 1 MiB per object).</summary>
    public const long ConfigMapBudget = 700 * 1024;

    public const string ManifestsFile = "k8s/manifests.yml";
    public const string KindConfigFile = "kind-config.yml";
    public const string KubeConfigFile = "kubeconfig.yml";

    public static string JobFile(string job) => $"k8s/jobs/{job}.yml";

    /// <summary>The Secret the backend creates at apply time from registry-credentials (never rendered: no token in D).</summary>
    public static string RegistrySecretName(string deploymentId) => $"{deploymentId}-registry";

    public static string ConfigSecretName(string deploymentId) => $"{deploymentId}-config";

    /// <summary>The namespace: the spec's, else <c>slipway-&lt;stack&gt;</c> as a valid DNS label.</summary>
    public static string NamespaceFor(Spec spec, string stackName) =>
        spec.Namespace?.Value ?? KubeNames.Label("slipway-" + stackName);

    /// <summary>
    /// The image a container runs: the spec's image-overrides win; otherwise the compose image, and with image-registry a
    /// locally built image (tag <c>local</c>) is pulled from that registry as <c>&lt;registry&gt;/&lt;name&gt;:local</c>.
    /// Image pins (stack reference → immutable reference) must be keyed by this result.
    /// </summary>
    public static string ResolveImage(string image, Spec spec, bool overridden)
    {
        if (overridden || spec.ImageRegistry is not { } registry) return image;
        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        if (colon <= slash || image[(colon + 1)..] != "local") return image;
        return $"{registry.Value.TrimEnd('/')}/{image[(slash + 1)..]}";
    }

    public static KubernetesRendering Render(KubernetesInputs inputs) => new Renderer(inputs).Run();

    private sealed class Renderer(KubernetesInputs inputs)
    {
        private readonly DiagnosticBag _diagnostics = new();
        private readonly Spec _spec = inputs.Spec;
        private readonly string _id = inputs.DeploymentId;
        private readonly string _namespace = NamespaceFor(inputs.Spec, inputs.Bundle.Stack.Name);
        private readonly string _stack = KubeNames.LabelValue(inputs.Bundle.Stack.Name);
        private readonly Dictionary<string, string> _config = inputs.Config.GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        private readonly Dictionary<string, JsonObject> _configMaps = new(StringComparer.Ordinal);
        private readonly Dictionary<string, HostBind> _hostBinds = new(StringComparer.Ordinal);
        private readonly List<RenderedFile> _files = [];
        private readonly HashSet<string> _executable = new(StringComparer.Ordinal);
        private IReadOnlyList<KubeVolume> _volumes = [];

        private sealed record HostBind(string Source, string VolumeName, string ConfigMapName, string? FileKey, JsonObject ConfigMap);

        private Func<string, string?> Lookup => key => _config.TryGetValue(key, out var v) ? v : null;

        public KubernetesRendering Run()
        {
            var bundle = inputs.Bundle;
            var declared = bundle.All.SelectMany(f => f.Compose.Volumes).Distinct(StringComparer.Ordinal).ToList();
            CheckVolumeSpecs(declared);
            _volumes = KubernetesVolumes.Plan(_spec, declared, inputs.DeploymentDirectory, _id, _diagnostics);
            foreach (var volume in _volumes.Where(v => v.HostPath is null && !_spec.Volumes.Any(s => s.Name == v.Name)))
            {
                _diagnostics.Warning(DiagnosticCodes.UnknownReference, $"volume '{volume.Name}' is not in the spec's volumes: it gets storage from the cluster's provisioner, which is lost with the cluster",
                    DeclaredAt(volume.Name), $"add '{volume.Name}:' (or a path) under the spec's volumes");
            }

            SpecConfigMaps();
            foreach (var file in bundle.All) HostBinds(file);
            CheckProxyTargets();

            var deployments = new List<JsonObject>();
            var services = new List<JsonObject>();
            foreach (var pod in bundle.Pods)
            {
                deployments.Add(Deployment(pod));
                if (ProxyService(pod) is { } proxy) services.Add(proxy);
                services.AddRange(pod.Compose.Services.SelectMany(s => NodePort(pod, s)));
            }

            var jobs = new SortedDictionary<string, IReadOnlyList<JsonObject>>(StringComparer.Ordinal);
            foreach (var job in bundle.Jobs) jobs[job.Name] = [Job(job)];

            var objects = new List<JsonObject> { NamespaceObject() };
            objects.AddRange(_configMaps.Values.OrderBy(Name, StringComparer.Ordinal));
            if (ConfigSecret() is { } secret) objects.Add(secret);
            objects.AddRange(_volumes.Where(v => v.HostPath is not null).Select(PersistentVolume).OrderBy(Name, StringComparer.Ordinal));
            objects.AddRange(_volumes.Select(PersistentVolumeClaim).OrderBy(Name, StringComparer.Ordinal));
            objects.AddRange(services.OrderBy(Name, StringComparer.Ordinal));
            objects.AddRange(deployments.OrderBy(Name, StringComparer.Ordinal));
            if (Ingress() is { } ingress) objects.Add(ingress);

            KubeConfigAndKind();
            _diagnostics.ThrowIfErrors();

            var violations = KubernetesInvariants.Check(objects, jobs.Values.SelectMany(j => j).ToList(), ExternalSecrets());
            if (violations.Count > 0)
            {
                throw new SlipwayException(FailureReason.InvalidInput,
                    "the rendered Kubernetes objects break these rules:\n  " + string.Join("\n  ", violations),
                    "this is a bug in Slipway's translation; please report it with the spec and stack");
            }

            _files.Add(RenderedFile.Text(ManifestsFile, KubeYaml.Stream(objects), secret: true));
            foreach (var (job, jobObjects) in jobs) _files.Add(RenderedFile.Text(JobFile(job), KubeYaml.Stream(jobObjects), secret: true));

            return new KubernetesRendering
            {
                Namespace = _namespace,
                Objects = objects,
                Jobs = jobs,
                Files = _files,
                Volumes = _volumes.Select(v => new VolumePlacement(v.Name, v.HostPath, false) { Target = _spec.DeployTo, NodePath = v.NodePath, Storage = v.Storage }).ToList(),
                Warnings = _diagnostics.Sorted(),
            };
        }

        /// <summary>Where a compose file declares a top-level volume.</summary>
        private SourceLocation DeclaredAt(string volume)
        {
            foreach (var file in inputs.Bundle.All)
            {
                if (file.Compose.VolumeLocations.TryGetValue(volume, out var at)) return at;
            }

            return new SourceLocation(_spec.FilePath, 1, 1);
        }

        private static string Name(JsonObject o) => (string)o["metadata"]!["name"]!;

        private HashSet<string> ExternalSecrets()
        {
            var names = _spec.Kubernetes.Secrets.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
            if (_spec.RegistryCredentials is not null) names.Add(RegistrySecretName(_id));
            foreach (var host in _spec.Kubernetes.HttpProxy) names.Add(TlsSecretName(host.HostName));
            return names;
        }

        private void CheckVolumeSpecs(IReadOnlyList<string> declared)
        {
            foreach (var cm in _spec.Kubernetes.ConfigMaps)
            {
                if (_spec.Volumes.FirstOrDefault(v => v.Name == cm.Name) is { } both)
                {
                    _diagnostics.Error(DiagnosticCodes.Conflict, $"'{cm.Name}' is both a volume and a configmap in the spec; it must be one of them", both.Location,
                        "read-only configuration belongs under configmaps, data under volumes");
                }
            }

            foreach (var name in _spec.Kubernetes.Resources.PerVolumeStorage.Keys.Where(n => !declared.Contains(n)))
            {
                _diagnostics.Error(DiagnosticCodes.UnknownReference, $"resources.volumes names volume '{name}', which no compose file of the stack declares",
                    _spec.Kubernetes.Resources.PerVolumeStorage[name].Location, DidYouMean.Hint(name, declared));
            }

            var containers = inputs.Bundle.All.SelectMany(f => f.Compose.Services).Select(s => s.Name).ToList();
            foreach (var (name, at) in _spec.Kubernetes.Resources.PerContainer.Where(p => !containers.Contains(p.Key)))
            {
                _diagnostics.Error(DiagnosticCodes.UnknownReference, $"resources.containers names '{name}', which is not a service of the stack", at.Location, DidYouMean.Hint(name, containers));
            }
        }

        // ---- ConfigMaps --------------------------------------------------------------------------------------

        private void SpecConfigMaps()
        {
            foreach (var cm in _spec.Kubernetes.ConfigMaps)
            {
                string source;
                if (cm.Source.StartsWith("./", StringComparison.Ordinal))
                {
                    // laconic-so: "./..." names the stack's config/<name> (deploy init writes ./configmaps/<name>).
                    if (inputs.Bundle.Stack.ConfigRoot is not { } configRoot)
                    {
                        _diagnostics.Error(DiagnosticCodes.NotFound, $"configmap '{cm.Name}': '{cm.Source}' means the stack's config/{cm.Name} folder, and the stack has no config/ folder", cm.Location,
                            "give an absolute path, or a path starting with ../ or ~/");
                        continue;
                    }

                    source = Path.Combine(configRoot, cm.Name);
                }
                else
                {
                    source = Path.GetFullPath(Path.Combine(_spec.Directory, StackResolver.ExpandHome(cm.Source)));
                }

                var entry = inputs.HostFiles.Stat(source);
                var what = $"configmap '{cm.Name}' ({source})";
                if (entry.Kind != HostPathKind.Directory)
                {
                    _diagnostics.Error(DiagnosticCodes.NotFound, entry.Kind == HostPathKind.Missing ? $"{what} does not exist" : $"{what} is a file; a configmap source is a folder of files", cm.Location);
                    continue;
                }

                if (entry.Subdirectories is { Count: > 0 } subdirectories)
                {
                    _diagnostics.Error(DiagnosticCodes.InvalidValue, $"{what} contains subdirectories ({string.Join(", ", subdirectories)}); a ConfigMap holds the top-level files of one folder", cm.Location);
                    continue;
                }

                if (Data(entry.Files!, what, cm.Location) is not { } data) continue;
                foreach (var file in entry.Files!)
                {
                    _files.Add(new RenderedFile($"configmaps/{cm.Name}/{file.Name}", file.Read(), Executable: file.Executable));
                }

                var name = KubeNames.Label($"{_id}-{cm.Name}");
                _configMaps[name] = ConfigMap(name, data, null);
            }
        }

        /// <summary>ConfigMap data from files: UTF-8 text under data, anything else base64 under binaryData; null (reported) over budget or with a bad key.</summary>
        private (JsonObject Data, JsonObject Binary, bool AnyExecutable)? Data(IReadOnlyList<HostFile> files, string what, SourceLocation at)
        {
            var total = files.Sum(f => f.Size);
            if (total > ConfigMapBudget)
            {
                _diagnostics.Error(DiagnosticCodes.InvalidValue, $"{what} holds {total} bytes, exceeding the ConfigMap budget of {ConfigMapBudget} bytes (700 KiB)", at,
                    "use a volume for large content");
                return null;
            }

            var data = new JsonObject();
            var binary = new JsonObject();
            foreach (var file in files.OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                if (!KubeNames.IsConfigKey(file.Name))
                {
                    _diagnostics.Error(DiagnosticCodes.InvalidName, $"{what}: file name '{file.Name}' cannot be a ConfigMap key (letters, digits, '-', '_', '.')", at);
                    return null;
                }

                var bytes = file.Read();
                if (IsText(bytes)) data[file.Name] = Encoding.UTF8.GetString(bytes);
                else binary[file.Name] = Convert.ToBase64String(bytes);
            }

            return (data, binary, files.Any(f => f.Executable));
        }

        private static bool IsText(byte[] bytes)
        {
            try
            {
                var text = new UTF8Encoding(false, true).GetString(bytes);
                return !text.Any(c => char.IsControl(c) && c is not '\n' and not '\t' and not '\r');
            }
            catch (DecoderFallbackException)
            {
                return false;
            }
        }

        private JsonObject ConfigMap(string name, (JsonObject Data, JsonObject Binary, bool AnyExecutable) content, string? hostSource)
        {
            var obj = Object("v1", "ConfigMap", name, Labels());
            if (hostSource is not null) obj["metadata"]!["annotations"] = new JsonObject { [SlipwayLabels.SourceAnnotation] = hostSource };
            if (content.Data.Count > 0 || content.Binary.Count == 0) obj["data"] = content.Data;
            if (content.Binary.Count > 0) obj["binaryData"] = content.Binary;
            if (content.AnyExecutable) _executable.Add(name);
            return obj;
        }

        /// <summary>Static host-path binds become ConfigMaps: a file one key mounted with subPath, a flat folder a key per file.</summary>
        private void HostBinds(StackComposeFile file)
        {
            var composeDir = Path.GetDirectoryName(file.SourcePath)!;
            foreach (var service in file.Compose.Services)
            {
                foreach (var mount in service.Mounts.Where(m => m.Kind == MountKind.Bind && m.Source is not null))
                {
                    var what = $"pod '{file.Name}', service '{service.Name}', bind '{mount.Source}:{mount.Target}'";
                    if (mount.Options.Split(',').Contains("rw"))
                    {
                        _diagnostics.Error(DiagnosticCodes.InvalidValue, $"{what}: writable host-path binds are not supported on Kubernetes (the files become a read-only ConfigMap)", mount.Location,
                            "drop ':rw' for configuration, or use a named volume for data the container writes");
                        continue;
                    }

                    var source = Interpolation.Apply(mount.Source!, Lookup).Value;
                    var resolved = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(composeDir, StackResolver.ExpandHome(source))));
                    if (_hostBinds.ContainsKey(resolved)) continue;
                    var entry = inputs.HostFiles.Stat(resolved);
                    (JsonObject, JsonObject, bool)? data;
                    string? key = null;
                    switch (entry.Kind)
                    {
                        case HostPathKind.Missing:
                            _diagnostics.Error(DiagnosticCodes.NotFound, $"{what}: the source {resolved} does not exist; Kubernetes needs its content now to make a ConfigMap", mount.Location);
                            continue;
                        case HostPathKind.File:
                            key = entry.File!.Name;
                            data = Data([entry.File], $"{what}: {resolved}", mount.Location);
                            break;
                        default:
                            if (entry.Subdirectories is { Count: > 0 } subdirectories)
                            {
                                _diagnostics.Error(DiagnosticCodes.InvalidValue, $"{what}: {resolved} contains subdirectories ({string.Join(", ", subdirectories)}); only a flat folder can become a ConfigMap", mount.Location,
                                    "bind the subfolders one by one, or use a volume");
                                continue;
                            }

                            data = Data(entry.Files!, $"{what}: {resolved}", mount.Location);
                            break;
                    }

                    if (data is null) continue;
                    var volumeName = KubeNames.Label("host-path-" + Sanitize(source));
                    if (_hostBinds.Values.Any(b => b.VolumeName == volumeName))
                    {
                        volumeName = KubeNames.Label(volumeName, KubeNames.MaxLabel - 9) + "-" + KubeNames.ShortHash(resolved);
                    }

                    var configMapName = KubeNames.Label($"{_id}-{volumeName}");
                    var configMap = ConfigMap(configMapName, data.Value, source);
                    _configMaps[configMapName] = configMap;
                    _hostBinds[resolved] = new HostBind(resolved, volumeName, configMapName, key, configMap);
                }
            }
        }

        /// <summary>laconic-so's rule: drop one leading run of dots and a slash, then '/' and '.' become '-'.</summary>
        private static string Sanitize(string source)
        {
            var i = 0;
            while (i < source.Length && source[i] == '.') i++;
            if (i < source.Length && source[i] == '/' && i > 0) source = source[(i + 1)..];
            return source.Replace('/', '-').Replace('.', '-');
        }

        private JsonObject? ConfigSecret()
        {
            if (_config.Count == 0) return null;
            var data = new JsonObject();
            foreach (var (key, value) in _config.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
            }

            var secret = Object("v1", "Secret", ConfigSecretName(_id), Labels());
            secret["type"] = "Opaque";
            secret["data"] = data;
            return secret;
        }

        // ---- Pods ----------------------------------------------------------------------------------------------

        private JsonObject Deployment(StackComposeFile pod)
        {
            var (template, usesClaims) = PodTemplate(pod, job: false);
            var deployment = Object("apps/v1", "Deployment", KubeNames.Label($"{_id}-{pod.Name}"), Labels(pod: pod.Name));
            deployment["spec"] = new JsonObject
            {
                ["replicas"] = _spec.Kubernetes.Replicas,
                ["selector"] = new JsonObject { ["matchLabels"] = Selector(pod.Name) },
                // A ReadWriteOnce claim cannot be held by the old and the new pod at once.
                ["strategy"] = usesClaims
                    ? new JsonObject { ["type"] = "Recreate" }
                    : new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = 0, ["maxSurge"] = 1 } },
                ["template"] = template,
            };
            return deployment;
        }

        private JsonObject Job(StackComposeFile job)
        {
            var (template, _) = PodTemplate(job, job: true);
            var obj = Object("batch/v1", "Job", KubeNames.Label($"{_id}-job-{job.Name}"), Labels(job: job.Name));
            obj["spec"] = new JsonObject { ["backoffLimit"] = 0, ["template"] = template };
            return obj;
        }

        private JsonObject Selector(string pod) => new() { [SlipwayLabels.DeploymentIdLabel] = _id, [SlipwayLabels.PodLabel] = KubeNames.LabelValue(pod) };

        private (JsonObject Template, bool UsesClaims) PodTemplate(StackComposeFile file, bool job)
        {
            var volumes = new JsonObject();
            var consumed = new SortedSet<string>(StringComparer.Ordinal);
            var containers = new JsonArray();
            var containerNames = new HashSet<string>(StringComparer.Ordinal);
            var hostNetwork = false;
            foreach (var service in file.Compose.Services)
            {
                var container = Container(file, service, volumes, consumed);
                if (!containerNames.Add((string)container["name"]!))
                {
                    _diagnostics.Error(DiagnosticCodes.Conflict, $"service '{service.Name}' of '{file.Name}' gives the same Kubernetes container name as another service of it ('{container["name"]}')", service.Location);
                }

                containers.Add(container);
                hostNetwork |= service.NetworkMode == "host";
            }

            var labels = job ? Labels(job: file.Name) : Labels(pod: file.Name);
            var annotations = new JsonObject { [SlipwayLabels.ConfigHashAnnotation] = Hash(consumed) };
            foreach (var service in file.Compose.Services)
            {
                foreach (var (key, value) in _spec.Kubernetes.Labels) labels[key.WithService(service.Name)] = value.Value;
                foreach (var (key, value) in _spec.Kubernetes.Annotations) annotations[key.WithService(service.Name)] = value.Value;
            }

            var spec = new JsonObject();
            if (hostNetwork)
            {
                spec["hostNetwork"] = true;
                spec["dnsPolicy"] = "ClusterFirstWithHostNet";
            }

            if (job) spec["restartPolicy"] = "Never";
            if (file.Compose.Services.Count > 1 && !hostNetwork)
            {
                // Compose services of one pod reach each other by name; in a pod they share localhost.
                spec["hostAliases"] = new JsonArray(new JsonObject
                {
                    ["ip"] = "127.0.0.1",
                    ["hostnames"] = new JsonArray(file.Compose.Services.Select(s => (JsonNode)s.Name.ToLowerInvariant()).ToArray()),
                });
            }

            spec["containers"] = containers;
            if (_spec.RegistryCredentials is not null)
            {
                spec["imagePullSecrets"] = new JsonArray(new JsonObject { ["name"] = RegistrySecretName(_id) });
            }

            if (_spec.Kubernetes.Security.RuntimeClass is { } runtimeClass) spec["runtimeClassName"] = runtimeClass;
            if (_spec.Kubernetes.NodeAffinities.Count > 0)
            {
                // One term with every rule: the rules all hold (laconic-so ORed them as separate terms).
                var expressions = new JsonArray(_spec.Kubernetes.NodeAffinities.Select(a => (JsonNode)new JsonObject
                {
                    ["key"] = a.Label,
                    ["operator"] = "In",
                    ["values"] = new JsonArray(a.Value),
                }).ToArray());
                spec["affinity"] = new JsonObject
                {
                    ["nodeAffinity"] = new JsonObject
                    {
                        ["requiredDuringSchedulingIgnoredDuringExecution"] = new JsonObject
                        {
                            ["nodeSelectorTerms"] = new JsonArray(new JsonObject { ["matchExpressions"] = expressions }),
                        },
                    },
                };
            }

            if (_spec.Kubernetes.NodeTolerations.Count > 0)
            {
                spec["tolerations"] = new JsonArray(_spec.Kubernetes.NodeTolerations.Select(t =>
                {
                    var toleration = new JsonObject { ["key"] = t.Key };
                    if (t.Value is null)
                    {
                        toleration["operator"] = "Exists";
                    }
                    else
                    {
                        toleration["operator"] = "Equal";
                        toleration["value"] = t.Value;
                    }

                    toleration["effect"] = t.Effect;
                    return (JsonNode)toleration;
                }).ToArray());
            }

            if (volumes.Count > 0)
            {
                spec["volumes"] = new JsonArray(volumes.Select(v => v.Value!.DeepClone()).ToArray());
            }

            var template = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = labels, ["annotations"] = annotations },
                ["spec"] = spec,
            };
            var usesClaims = volumes.Any(v => v.Value!["persistentVolumeClaim"] is not null);
            return (template, usesClaims);
        }

        private JsonObject Container(StackComposeFile file, ComposeService service, JsonObject volumes, SortedSet<string> consumed)
        {
            var container = new JsonObject { ["name"] = KubeNames.Label(service.Name) };
            var overridden = _spec.ImageOverrides.TryGetValue(service.Name, out var imageOverride);
            var image = overridden ? imageOverride!.Value : service.Image is { } i ? Interpolation.Apply(i, Lookup).Value : null;
            if (string.IsNullOrEmpty(image))
            {
                _diagnostics.Error(DiagnosticCodes.MissingKey, $"service '{service.Name}' has no image; Kubernetes cannot build, it pulls", service.Location,
                    $"add 'image:' to the service, or image-overrides: {{{service.Name}: IMAGE}} to the spec");
                image = "missing";
            }

            container["image"] = ResolveImage(image, _spec, overridden);
            container["imagePullPolicy"] = _spec.Kubernetes.ImagePullPolicy?.Value ?? (_spec.DeployTo == DeployTarget.K8sKind ? "IfNotPresent" : "Always");
            if (Words(service.Entrypoint) is { } command) container["command"] = command;
            if (Words(service.Command) is { } args) container["args"] = args;
            if (service.WorkingDir is { } workdir) container["workingDir"] = Interpolation.Apply(workdir, Lookup).Value;

            if (Environment(file, service, consumed) is { Count: > 0 } env) container["env"] = env;
            var envFrom = _spec.Kubernetes.Secrets.Where(s => s.Keys.Count == 0)
                .Select(s => (JsonNode)new JsonObject { ["secretRef"] = new JsonObject { ["name"] = s.Name } }).ToArray();
            foreach (var secret in _spec.Kubernetes.Secrets) consumed.Add($"secret {secret.Name} [{string.Join(",", secret.Keys)}]");
            if (envFrom.Length > 0) container["envFrom"] = new JsonArray(envFrom);

            if (Ports(service) is { Count: > 0 } ports) container["ports"] = ports;
            if (Mounts(file, service, volumes, consumed) is { Count: > 0 } mounts) container["volumeMounts"] = mounts;
            if (Resources(service) is { } resources) container["resources"] = resources;
            if (ProxyPorts(service.Name).FirstOrDefault() is var probePort and > 0)
            {
                container["readinessProbe"] = new JsonObject
                {
                    ["tcpSocket"] = new JsonObject { ["port"] = probePort },
                    ["initialDelaySeconds"] = 5,
                    ["periodSeconds"] = 10,
                    ["failureThreshold"] = 3,
                };
            }

            if (SecurityContext(service) is { Count: > 0 } security) container["securityContext"] = security;
            return container;
        }

        /// <summary>
        /// Compose environment (map or list form) with ${} expanded; a value that is exactly one config variable comes
        /// from the config Secret. Config keys the service interpolates elsewhere are passed too. Literal values have
        /// Kubernetes' own $(VAR) syntax escaped.
        /// </summary>
        private JsonArray Environment(StackComposeFile file, ComposeService service, SortedSet<string> consumed)
        {
            var entries = new List<(string Key, JsonNode Value)>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            void Literal(string key, string value) => entries.Add((key, new JsonObject { ["name"] = key, ["value"] = EscapeKube(value) }));
            void FromConfig(string key, string configKey)
            {
                consumed.Add($"config {configKey}={_config[configKey]}");
                entries.Add((key, new JsonObject
                {
                    ["name"] = key,
                    ["valueFrom"] = new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = ConfigSecretName(_id), ["key"] = configKey } },
                }));
            }

            var composeDir = Path.GetDirectoryName(file.SourcePath)!;
            foreach (var envFile in service.EnvFiles)
            {
                var path = Path.GetFullPath(Path.Combine(composeDir, Interpolation.Apply(envFile, Lookup).Value));
                var entry = inputs.HostFiles.Stat(path);
                if (entry.Kind != HostPathKind.File)
                {
                    _diagnostics.Error(DiagnosticCodes.NotFound, $"service '{service.Name}': env_file {path} does not exist", service.Location);
                    continue;
                }

                var parsed = DotEnv.Parse(Encoding.UTF8.GetString(entry.File!.Read()), Lookup);
                foreach (var e in parsed.Entries)
                {
                    consumed.Add($"env_file {e.Key}={e.Value}");
                    entries.RemoveAll(x => x.Key == e.Key);
                    Literal(e.Key, e.Value);
                }
            }

            foreach (var (key, raw) in service.Environment)
            {
                entries.RemoveAll(x => x.Key == key);
                if (raw is null)
                {
                    // Compose would copy it from the shell environment; on Kubernetes only config can supply it.
                    if (_config.ContainsKey(key)) FromConfig(key, key);
                    else _diagnostics.Warning(DiagnosticCodes.UnknownReference, $"service '{service.Name}': environment '{key}' has no value and is not in the spec's config; it is left out on Kubernetes", service.Location);
                    continue;
                }

                var result = Interpolation.Apply(raw, Lookup);
                if (result.Variables.Count == 1 && _config.ContainsKey(result.Variables[0]) && IsWholeReference(raw, result.Variables[0]))
                {
                    FromConfig(key, result.Variables[0]);
                }
                else
                {
                    foreach (var v in result.Variables.Where(_config.ContainsKey)) consumed.Add($"config {v}={_config[v]}");
                    Literal(key, result.Value);
                }
            }

            foreach (var key in entries.Select(e => e.Key).ToList()) seen.Add(key);
            foreach (var variable in service.Variables.Where(v => _config.ContainsKey(v) && !seen.Contains(v)).Order(StringComparer.Ordinal))
            {
                FromConfig(variable, variable);
            }

            foreach (var secret in _spec.Kubernetes.Secrets.Where(s => s.Keys.Count > 0))
            {
                foreach (var key in secret.Keys)
                {
                    entries.RemoveAll(x => x.Key == key);
                    entries.Add((key, new JsonObject
                    {
                        ["name"] = key,
                        ["valueFrom"] = new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = secret.Name, ["key"] = key } },
                    }));
                }
            }

            return new JsonArray(entries.Select(e => e.Value).ToArray());
        }

        private static bool IsWholeReference(string raw, string variable) =>
            raw == "$" + variable || raw == "${" + variable + "}" ||
            (raw.StartsWith("${" + variable + ":-", StringComparison.Ordinal) && raw.EndsWith('}') && raw.IndexOf('}') == raw.Length - 1) ||
            (raw.StartsWith("${" + variable + "-", StringComparison.Ordinal) && raw.EndsWith('}') && raw.IndexOf('}') == raw.Length - 1);

        /// <summary>Kubernetes expands $(VAR) in env values, command and args; $$( keeps it literal.</summary>
        private static string EscapeKube(string value) => value.Replace("$(", "$$(", StringComparison.Ordinal);

        /// <summary>Entrypoint or command words, each interpolated and escaped.</summary>
        private JsonArray? Words(IReadOnlyList<string>? words) =>
            words is null ? null : new JsonArray(words.Select(w => (JsonNode)EscapeKube(Interpolation.Apply(w, Lookup).Value)).ToArray());

        private JsonArray Ports(ComposeService service)
        {
            var ports = new JsonArray();
            var seen = new HashSet<(int, string)>();
            foreach (var (port, protocol) in EffectivePorts(service).SelectMany(p => Targets(p)).Concat(Exposed(service)).Concat(ProxyPorts(service.Name).Select(p => (p, "tcp"))))
            {
                // compose may list 8001 and 8001/udp, or a port twice: one containerPort per (port, protocol).
                if (!seen.Add((port, protocol))) continue;
                ports.Add(new JsonObject { ["containerPort"] = port, ["protocol"] = protocol.ToUpperInvariant() });
            }

            return ports;
        }

        private static IEnumerable<(int Port, string Protocol)> Targets(PortSpec port) =>
            Enumerable.Range(port.Target.Start, port.Target.Length).Select(p => (p, port.Protocol));

        private IEnumerable<(int, string)> Exposed(ComposeService service)
        {
            foreach (var item in service.Expose)
            {
                if (PortSpec.TryParse(Interpolation.Apply(item, Lookup).Value, out var port, out _) && port.Published is null)
                {
                    foreach (var t in Targets(port)) yield return t;
                }
            }
        }

        /// <summary>The ports a service publishes: the spec's network.ports for it, else its compose ports.</summary>
        private IReadOnlyList<PortSpec> EffectivePorts(ComposeService service)
        {
            if (_spec.Ports.FirstOrDefault(p => p.Service == service.Name) is not { } overridden) return service.Ports;
            var list = new List<PortSpec>();
            foreach (var p in overridden.Ports)
            {
                if (PortSpec.TryParse(Interpolation.Apply(p.Value, Lookup).Value, out var port, out _)) list.Add(port);
            }

            return list;
        }

        private IEnumerable<int> ProxyPorts(string service) =>
            _spec.Kubernetes.HttpProxy.SelectMany(h => h.Routes).Where(r => r.Service == service).Select(r => r.Port).Distinct();

        private JsonArray Mounts(StackComposeFile file, ComposeService service, JsonObject volumes, SortedSet<string> consumed)
        {
            var mounts = new JsonArray();
            var composeDir = Path.GetDirectoryName(file.SourcePath)!;
            var configMapNames = _spec.Kubernetes.ConfigMaps.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var mount in service.Mounts)
            {
                var m = new JsonObject();
                string volumeName;
                switch (mount.Kind)
                {
                    case MountKind.Volume when configMapNames.Contains(mount.Source!):
                        volumeName = KubeNames.Label(mount.Source!);
                        var cmName = KubeNames.Label($"{_id}-{mount.Source}");
                        AddVolume(volumes, volumeName, ConfigMapVolume(cmName));
                        ConsumeConfigMap(cmName, consumed);
                        m["readOnly"] = true;
                        break;
                    case MountKind.Volume:
                        volumeName = KubeNames.Label(mount.Source!);
                        AddVolume(volumes, volumeName, new JsonObject { ["name"] = volumeName, ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = KubeNames.Label($"{_id}-{mount.Source}") } });
                        if (mount.ReadOnly) m["readOnly"] = true;
                        break;
                    case MountKind.Bind:
                        var source = Interpolation.Apply(mount.Source!, Lookup).Value;
                        var resolved = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(composeDir, StackResolver.ExpandHome(source))));
                        if (!_hostBinds.TryGetValue(resolved, out var bind)) continue; // refused and reported already
                        volumeName = bind.VolumeName;
                        AddVolume(volumes, volumeName, ConfigMapVolume(bind.ConfigMapName));
                        ConsumeConfigMap(bind.ConfigMapName, consumed);
                        m["readOnly"] = true;
                        if (bind.FileKey is not null) m["subPath"] = bind.FileKey;
                        break;
                    default:
                        // Anonymous volumes and tmpfs: scratch space that lives as long as the pod.
                        volumeName = KubeNames.Label("scratch-" + mount.Target);
                        var emptyDir = new JsonObject();
                        if (service.Tmpfs is not null || mount.Options == "tmpfs") emptyDir["medium"] = "Memory";
                        AddVolume(volumes, volumeName, new JsonObject { ["name"] = volumeName, ["emptyDir"] = emptyDir });
                        break;
                }

                var ordered = new JsonObject { ["name"] = volumeName, ["mountPath"] = mount.Target };
                foreach (var (k, v) in m) ordered[k] = v?.DeepClone();
                mounts.Add(ordered);
            }

            return mounts;
        }

        private JsonObject ConfigMapVolume(string configMapName)
        {
            // Scripts stay executable; everything else is plain 0644.
            var executable = _executable.Contains(configMapName);
            return new JsonObject
            {
                ["configMap"] = new JsonObject { ["name"] = configMapName, ["defaultMode"] = executable ? 493 : 420 },
            };
        }

        private static void AddVolume(JsonObject volumes, string name, JsonObject volume)
        {
            if (volumes.ContainsKey(name)) return;
            var ordered = new JsonObject { ["name"] = name };
            foreach (var (k, v) in volume.Where(kv => kv.Key != "name")) ordered[k] = v?.DeepClone();
            volumes[name] = ordered;
        }

        private void ConsumeConfigMap(string name, SortedSet<string> consumed)
        {
            if (!_configMaps.TryGetValue(name, out var cm)) return;
            var content = (cm["data"]?.ToJsonString() ?? "") + (cm["binaryData"]?.ToJsonString() ?? "");
            consumed.Add($"configmap {name} {Sha(content)}");
        }

        private JsonObject? Resources(ComposeService service)
        {
            var resources = _spec.Kubernetes.Resources.Containers ?? ContainerResources.None;
            resources = resources.Under(ComposeResources(service));
            if (_spec.Kubernetes.Resources.PerContainer.TryGetValue(service.Name, out var own)) resources = resources.Under(own.Value);
            var result = new JsonObject();
            if (Amounts(resources.Requests) is { } requests) result["requests"] = requests;
            if (Amounts(resources.Limits) is { } limits) result["limits"] = limits;
            return result.Count == 0 ? null : result;
        }

        private static JsonObject? Amounts(ResourceAmounts amounts)
        {
            if (amounts.IsEmpty) return null;
            var obj = new JsonObject();
            if (amounts.Cpu is not null) obj["cpu"] = amounts.Cpu;
            if (amounts.Memory is not null) obj["memory"] = amounts.Memory;
            return obj;
        }

        /// <summary>compose <c>deploy.resources</c>: limits and reservations of cpus and memory (Docker units).</summary>
        private ContainerResources? ComposeResources(ComposeService service)
        {
            if (service.Resources is not { } resources) return null;
            ResourceAmounts Side(ComposeResourceAmounts side)
            {
                string? cpu = side.Cpus is { } c ? Quantities.Cpu(c, out var e1) ?? Report(e1) : null;
                string? memory = side.Memory is { } m ? Quantities.DockerMemory(m, out var e2) ?? Report(e2) : null;
                return new ResourceAmounts(cpu, memory);
            }

            string? Report(string? error)
            {
                _diagnostics.Error(DiagnosticCodes.InvalidValue, $"service '{service.Name}' deploy.resources: {error}", service.Location);
                return null;
            }

            return new ContainerResources(Side(resources.Reservations), Side(resources.Limits));
        }

        private JsonObject SecurityContext(ComposeService service)
        {
            var security = new JsonObject();
            var spec = _spec.Kubernetes.Security;
            if (spec.Privileged || service.Privileged) security["privileged"] = true;
            if (service.User is { } user)
            {
                // "1000" or "1000:1000"; names cannot be resolved outside the image.
                var parts = Interpolation.Apply(user, Lookup).Value.Split(':');
                if (parts.Length <= 2 && parts.All(p => long.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                {
                    security["runAsUser"] = long.Parse(parts[0], CultureInfo.InvariantCulture);
                    if (parts.Length == 2) security["runAsGroup"] = long.Parse(parts[1], CultureInfo.InvariantCulture);
                }
                else
                {
                    _diagnostics.Error(DiagnosticCodes.InvalidValue, $"service '{service.Name}': user '{user}' must be numeric (UID or UID:GID) on Kubernetes, which cannot look names up in the image", service.Location);
                }
            }

            var capabilities = spec.Capabilities.Concat(service.CapAdd.Select(WithoutCapPrefix)).ToList();
            var drop = service.CapDrop.Select(WithoutCapPrefix).Distinct().ToList();
            if (capabilities.Count > 0 || drop.Count > 0)
            {
                var caps = new JsonObject();
                if (capabilities.Count > 0) caps["add"] = new JsonArray(capabilities.Distinct().Select(c => (JsonNode)c).ToArray());
                if (drop.Count > 0) caps["drop"] = new JsonArray(drop.Select(c => (JsonNode)c).ToArray());
                security["capabilities"] = caps;
            }

            return security;
        }

        // ---- Services, Ingress ---------------------------------------------------------------------------------

        private void CheckProxyTargets()
        {
            var services = inputs.Bundle.PodServices.Select(s => s.Name).ToList();
            foreach (var route in _spec.Kubernetes.HttpProxy.SelectMany(h => h.Routes).Where(r => !services.Contains(r.Service)))
            {
                _diagnostics.Error(DiagnosticCodes.UnknownReference, $"proxy-to names service '{route.Service}', which no pod of the stack defines", route.Location, DidYouMean.Hint(route.Service, services));
            }

            foreach (var group in _spec.Kubernetes.HttpProxy.GroupBy(h => h.HostName).Where(g => g.Count() > 1))
            {
                _diagnostics.Error(DiagnosticCodes.Conflict, $"http-proxy host-name '{group.Key}' appears more than once; give all its routes under one entry", group.Last().Location);
            }
        }

        private string ServiceNameFor(string pod) => KubeNames.Label($"{_id}-{pod}");

        private JsonObject? ProxyService(StackComposeFile pod)
        {
            var ports = pod.Compose.Services.SelectMany(s => ProxyPorts(s.Name)).Distinct().Order().ToList();
            if (ports.Count == 0) return null;
            var service = Object("v1", "Service", ServiceNameFor(pod.Name), Labels(pod: pod.Name));
            service["spec"] = new JsonObject
            {
                ["type"] = "ClusterIP",
                ["selector"] = Selector(pod.Name),
                ["ports"] = new JsonArray(ports.Select(p => (JsonNode)new JsonObject
                {
                    ["name"] = $"port-{p}",
                    ["port"] = p,
                    ["targetPort"] = p,
                    ["protocol"] = "TCP",
                }).ToArray()),
            };
            return service;
        }

        /// <summary>
        /// One NodePort Service per compose service with published ports. A published port in the NodePort range is kept;
        /// others get a node port from the cluster. Ports bound to loopback stay private (reach them with a port-forward).
        /// </summary>
        private IEnumerable<JsonObject> NodePort(StackComposeFile pod, ComposeService service)
        {
            var ports = new JsonArray();
            var seen = new HashSet<(int, string)>();
            var at = _spec.Ports.FirstOrDefault(p => p.Service == service.Name)?.Location ?? service.Location;
            foreach (var port in EffectivePorts(service))
            {
                if (port.HostIp is { } ip && (ip.StartsWith("127.", StringComparison.Ordinal) || ip == "::1" || ip == "localhost"))
                {
                    _diagnostics.Warning(DiagnosticCodes.NotApplicable, $"service '{service.Name}': port {port.Target} is bound to {ip}; on Kubernetes it gets no NodePort (reach it with 'deployment port', which port-forwards)", at);
                    continue;
                }

                foreach (var (target, protocol) in Targets(port))
                {
                    if (!seen.Add((target, protocol))) continue;
                    var entry = new JsonObject
                    {
                        ["name"] = $"{protocol}-{target}",
                        ["port"] = target,
                        ["targetPort"] = target,
                        ["protocol"] = protocol.ToUpperInvariant(),
                    };
                    if (port.Published is { IsSingle: true, Start: >= 30000 and <= 32767 } published && port.Target.IsSingle)
                    {
                        entry["nodePort"] = published.Start;
                    }
                    else if (port.Published is { Start: > 0 } other)
                    {
                        _diagnostics.Warning(DiagnosticCodes.NotApplicable, $"service '{service.Name}': published port {other} is outside the NodePort range 30000-32767; the cluster picks the node port ('deployment port' shows it)", at);
                    }

                    ports.Add(entry);
                }
            }

            if (ports.Count == 0) yield break;
            var obj = Object("v1", "Service", KubeNames.Label($"{_id}-{service.Name}-nodeport"), Labels(pod: pod.Name, service: service.Name));
            obj["spec"] = new JsonObject { ["type"] = "NodePort", ["selector"] = Selector(pod.Name), ["ports"] = ports };
            yield return obj;
        }

        private string TlsSecretName(string host) => KubeNames.Label($"{_id}-{host}-tls", 253);

        private JsonObject? Ingress()
        {
            var hosts = _spec.Kubernetes.HttpProxy.Where(h => h.Routes.Count > 0).ToList();
            if (hosts.Count == 0) return null;
            var owner = inputs.Bundle.Pods.SelectMany(p => p.Compose.Services.Select(s => (s.Name, Pod: p.Name))).ToDictionary(x => x.Name, x => x.Pod, StringComparer.Ordinal);
            var ingress = Object("networking.k8s.io/v1", "Ingress", _id, Labels());
            var tls = _spec.DeployTo == DeployTarget.K8s;
            if (tls) ingress["metadata"]!["annotations"] = new JsonObject { ["cert-manager.io/cluster-issuer"] = "letsencrypt-prod" };
            var spec = new JsonObject();
            if (tls)
            {
                spec["tls"] = new JsonArray(hosts.Select(h => (JsonNode)new JsonObject
                {
                    ["hosts"] = new JsonArray(h.HostName),
                    ["secretName"] = TlsSecretName(h.HostName),
                }).ToArray());
            }

            // Every http-proxy entry is a rule (laconic-so used only the first).
            spec["rules"] = new JsonArray(hosts.Select(h => (JsonNode)new JsonObject
            {
                ["host"] = h.HostName,
                ["http"] = new JsonObject
                {
                    ["paths"] = new JsonArray(h.Routes.Where(r => owner.ContainsKey(r.Service)).Select(r => (JsonNode)new JsonObject
                    {
                        ["path"] = r.Path,
                        ["pathType"] = "Prefix",
                        ["backend"] = new JsonObject
                        {
                            ["service"] = new JsonObject { ["name"] = ServiceNameFor(owner[r.Service]), ["port"] = new JsonObject { ["number"] = r.Port } },
                        },
                    }).ToArray()),
                },
            }).ToArray());
            ingress["spec"] = spec;
            return ingress;
        }

        // ---- Namespace, volumes, cluster files ---------------------------------------------------------------

        private JsonObject NamespaceObject()
        {
            var ns = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new JsonObject
                {
                    ["name"] = _namespace,
                    ["labels"] = Labels(),
                    ["annotations"] = new JsonObject { [SlipwayLabels.OwnerAnnotation] = inputs.DeploymentDirectory },
                },
            };
            return ns;
        }

        private string VolumeObjectName(string volume) => KubeNames.Label($"{_id}-{volume}");

        private JsonObject PersistentVolume(KubeVolume volume)
        {
            var labels = Labels();
            labels[SlipwayLabels.VolumeLabel] = KubeNames.LabelValue(volume.Name);
            var pv = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "PersistentVolume",
                ["metadata"] = new JsonObject { ["name"] = VolumeObjectName(volume.Name), ["labels"] = labels },
                ["spec"] = new JsonObject
                {
                    ["storageClassName"] = "",
                    ["capacity"] = new JsonObject { ["storage"] = volume.Storage },
                    ["accessModes"] = new JsonArray("ReadWriteOnce"),
                    // The data is the operator's: deleting the claim never deletes it.
                    ["persistentVolumeReclaimPolicy"] = "Retain",
                    ["claimRef"] = new JsonObject { ["namespace"] = _namespace, ["name"] = VolumeObjectName(volume.Name) },
                    ["hostPath"] = new JsonObject { ["path"] = volume.NodePath, ["type"] = "DirectoryOrCreate" },
                },
            };
            return pv;
        }

        private JsonObject PersistentVolumeClaim(KubeVolume volume)
        {
            var labels = Labels();
            labels[SlipwayLabels.VolumeLabel] = KubeNames.LabelValue(volume.Name);
            var pvc = Object("v1", "PersistentVolumeClaim", VolumeObjectName(volume.Name), labels);
            var spec = new JsonObject { ["accessModes"] = new JsonArray("ReadWriteOnce") };
            if (volume.HostPath is not null)
            {
                spec["storageClassName"] = "";
                spec["volumeName"] = VolumeObjectName(volume.Name);
            }

            spec["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = volume.Storage } };
            pvc["spec"] = spec;
            return pvc;
        }

        private void KubeConfigAndKind()
        {
            if (_spec.DeployTo == DeployTarget.K8s)
            {
                if (inputs.KubeConfig is null)
                {
                    _diagnostics.Error(DiagnosticCodes.MissingKey, "deploy-to k8s needs 'kube-config': the kubeconfig file of the cluster", _spec.KubeConfig?.Location ?? new SourceLocation(_spec.FilePath, 1, 1));
                }
                else
                {
                    _files.Add(new RenderedFile(KubeConfigFile, inputs.KubeConfig, Secret: true));
                }

                return;
            }

            _files.Add(RenderedFile.Text(KindConfigFile, KindConfig.Render(_spec, _volumes, inputs.Bundle)));
        }

        // ---- helpers ---------------------------------------------------------------------------------------------

        private JsonObject Labels(string? pod = null, string? service = null, string? job = null)
        {
            var labels = new JsonObject
            {
                [SlipwayLabels.ManagedByLabel] = SlipwayLabels.ManagedByValue,
                [SlipwayLabels.DeploymentIdLabel] = _id,
                [SlipwayLabels.StackLabel] = _stack,
            };
            if (pod is not null) labels[SlipwayLabels.PodLabel] = KubeNames.LabelValue(pod);
            if (job is not null) labels[SlipwayLabels.JobLabel] = KubeNames.LabelValue(job);
            if (service is not null) labels[SlipwayLabels.ServiceLabel] = KubeNames.LabelValue(service);
            return labels;
        }

        private JsonObject Object(string apiVersion, string kind, string name, JsonObject labels) => new()
        {
            ["apiVersion"] = apiVersion,
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = _namespace, ["labels"] = labels },
        };

        private static string Hash(IEnumerable<string> consumed) => Sha(string.Join("\n", consumed));

        private static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

        private static string WithoutCapPrefix(string capability) =>
            capability.StartsWith("CAP_", StringComparison.Ordinal) ? capability[4..] : capability;
    }

    private static string WithService(this string key, string service) => key.Replace("{name}", service, StringComparison.Ordinal);
}
