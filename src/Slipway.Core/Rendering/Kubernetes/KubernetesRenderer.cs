using System.Text.Json.Nodes;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Kubernetes;
using Slipway.Core.Specs;
using Slipway.Core.Yaml;

namespace Slipway.Core.Rendering.Kubernetes;

/// <summary>
/// Compose services → Kubernetes objects, as laconic-so translates them but without its known bugs: every name starts
/// with the deployment-id, every object carries Slipway's labels, every pod template the hash of the config it
/// consumes. The builders of each object kind sit beside this class; the invariant checker runs on every render.
/// </summary>
public static class KubernetesRenderer
{
    /// <summary>What one ConfigMap made from host files may hold (the API's limit is 1 MiB per object).</summary>
    public const long ConfigMapBudget = 700 * 1024;

    /// <summary>Shorter HMAC keys would be easier to guess than the hash is to break.</summary>
    public const int MinimumConfigHashKeyLength = 16;

    public const string ManifestsFile = "k8s/manifests.yml";
    public const string KindConfigFile = "kind-config.yml";
    public const string KubeConfigFile = "kubeconfig.yml";

    public const string JobsFolder = "k8s/jobs";

    public static string JobFile(string job) => $"{JobsFolder}/{job}.yml";

    /// <summary>The Secret the backend creates at apply time from registry-credentials (never rendered: no token in D).</summary>
    public static string RegistrySecretName(string deploymentId) => $"{deploymentId}-registry";

    public static string ConfigSecretName(string deploymentId) => $"{deploymentId}-config";

    /// <summary>The namespace: the spec's, else <c>slipway-&lt;stack&gt;</c> as a valid DNS label.</summary>
    public static string NamespaceFor(Spec spec, string stackName) =>
        spec.Namespace?.Value ?? KubeNames.Label("slipway-" + stackName);

    /// <summary>
    /// The image a container runs: the spec's image-overrides win; otherwise the compose image, and with image-registry a
    /// locally built image (tag <c>local</c>) is pulled from that registry as <c>&lt;registry&gt;/&lt;name&gt;:local</c>, named as
    /// a push names it (<see cref="RegistryImages.Under"/>: the image's org kept).
    /// Image pins (stack reference → immutable reference) must be keyed by this result.
    /// </summary>
    public static string ResolveImage(string image, Spec spec, bool overridden)
    {
        if (overridden || spec.ImageRegistry is not { } registry) return image;
        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        if (colon <= slash || image[(colon + 1)..] != "local") return image;
        return RegistryImages.Under(registry.Value, image);
    }

    public static KubernetesRendering Render(KubernetesInputs inputs)
    {
        if (inputs.ConfigHashKey is not { Length: >= MinimumConfigHashKeyLength })
        {
            throw new ArgumentException($"the config hash key must hold at least {MinimumConfigHashKeyLength} bytes", nameof(inputs));
        }

        var context = new RenderContext(inputs);
        var spec = context.Spec;
        var bundle = inputs.Bundle;
        var declared = bundle.All.SelectMany(f => f.Compose.Volumes).Distinct(StringComparer.Ordinal).ToList();
        CheckVolumeSpecs(context, declared);
        context.Volumes = KubernetesVolumes.Plan(spec, declared, inputs.DeploymentDirectory, context.Id, context.Diagnostics);
        foreach (var volume in context.Volumes.Where(v => v.HostPath is null && !spec.Volumes.Any(s => s.Name == v.Name)))
        {
            context.Diagnostics.Warning(DiagnosticCodes.UnknownReference, $"volume '{volume.Name}' is not in the spec's volumes: it gets storage from the cluster's provisioner, which is lost with the cluster",
                DeclaredAt(context, volume.Name), $"add '{volume.Name}:' (or a path) under the spec's volumes");
        }

        // ConfigMaps and the CA Secret first: the pods that mount them hash their content.
        ConfigMaps.FromSpec(context);
        var caCertificates = CaCertificates.Render(context);
        foreach (var file in bundle.All) ConfigMaps.FromHostBinds(context, file);
        Services.CheckProxyTargets(context);

        var deployments = new List<JsonObject>();
        var external = Services.External(context).ToList();
        var services = external.Where(o => (string?)o["kind"] == "Service").ToList();
        foreach (var pod in bundle.Pods)
        {
            deployments.Add(PodTemplates.Deployment(context, pod));
            if (Services.ClusterIp(context, pod) is { } proxy) services.Add(proxy);
            foreach (var service in pod.Compose.Services)
            {
                if (Services.ByComposeName(context, pod, service) is not { } named) continue;
                if (services.Any(s => RenderContext.Name(s) == RenderContext.Name(named)))
                {
                    context.Diagnostics.Error(DiagnosticCodes.Conflict, $"service '{service.Name}': another Service is already named '{RenderContext.Name(named)}', so other pods could not reach this one by its name", service.Location, "rename the compose service");
                    continue;
                }

                services.Add(named);
            }

            services.AddRange(pod.Compose.Services.SelectMany(s => Services.NodePort(context, pod, s)));
        }

        var jobs = new SortedDictionary<string, IReadOnlyList<JsonObject>>(StringComparer.Ordinal);
        foreach (var job in bundle.Jobs) jobs[job.Name] = [PodTemplates.Job(context, job)];

        var objects = new List<JsonObject> { NamespaceObject.Render(context) };
        objects.AddRange(context.ConfigMaps.Values.OrderBy(RenderContext.Name, StringComparer.Ordinal));
        if (ConfigSecret.Render(context) is { } secret) objects.Add(secret);
        if (caCertificates is not null) objects.Add(caCertificates);
        if (MemlockRuntimeClass(context) is { } runtimeClass) objects.Add(runtimeClass);
        objects.AddRange(context.Volumes.Where(v => v.HostPath is not null).Select(v => PersistentVolumes.Volume(context, v)).OrderBy(RenderContext.Name, StringComparer.Ordinal));
        objects.AddRange(context.Volumes.Select(v => PersistentVolumes.Claim(context, v)).OrderBy(RenderContext.Name, StringComparer.Ordinal));
        objects.AddRange(services.OrderBy(RenderContext.Name, StringComparer.Ordinal));
        objects.AddRange(external.Where(o => (string?)o["kind"] == "EndpointSlice").OrderBy(RenderContext.Name, StringComparer.Ordinal));
        objects.AddRange(deployments.OrderBy(RenderContext.Name, StringComparer.Ordinal));
        var ingress = Ingress.Render(context);
        if (ingress is not null) objects.Add(ingress);

        KubeConfigAndKind(context, withIngress: ingress is not null);
        context.Diagnostics.ThrowIfErrors();

        var violations = KubernetesInvariants.Check(objects, jobs.Values.SelectMany(j => j).ToList(), ExternalSecrets(context));
        if (violations.Count > 0)
        {
            throw new SlipwayException(FailureReason.InvalidInput,
                "the rendered Kubernetes objects break these rules:\n  " + string.Join("\n  ", violations),
                "this is a bug in Slipway's translation; please report it with the spec and stack");
        }

        var files = context.Files;
        files.Add(RenderedFile.Text(ManifestsFile, KubeYaml.Stream(objects), secret: true));
        foreach (var (job, jobObjects) in jobs) files.Add(RenderedFile.Text(JobFile(job), KubeYaml.Stream(jobObjects), secret: true));

        return new KubernetesRendering
        {
            Objects = objects,
            Jobs = jobs,
            Files = files,
            Volumes =
            [
                .. context.Volumes.Select(v => new VolumePlacement(v.Name, v.HostPath, false) { Target = spec.DeployTo, NodePath = v.NodePath, Storage = v.Storage }),
                .. context.HostBinds.Values.Select(b => b.NodePath).OfType<string>().Distinct().Order(StringComparer.Ordinal).Select(p => VolumePlacement.ForNodeBind(p, spec.DeployTo)),
            ],
            Directories = context.Directories,
            Warnings = context.Diagnostics.Sorted(),
        };
    }

    /// <summary>Where a compose file declares a top-level volume.</summary>
    private static SourceLocation DeclaredAt(RenderContext context, string volume)
    {
        foreach (var file in context.Inputs.Bundle.All)
        {
            if (file.Compose.VolumeLocations.TryGetValue(volume, out var at)) return at;
        }

        return new SourceLocation(context.Spec.FilePath, 1, 1);
    }

    /// <summary>Secrets pods may name that Slipway does not render: the spec's, the pull secret, cert-manager's TLS secrets.</summary>
    private static HashSet<string> ExternalSecrets(RenderContext context)
    {
        var spec = context.Spec;
        var names = spec.Kubernetes.Secrets.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        if (spec.RegistryCredentials is not null) names.Add(RegistrySecretName(context.Id));
        foreach (var host in spec.Kubernetes.HttpProxy) names.Add(Ingress.TlsSecretName(context.Id, host.HostName));
        return names;
    }

    private static void CheckVolumeSpecs(RenderContext context, IReadOnlyList<string> declared)
    {
        var spec = context.Spec;
        foreach (var cm in spec.Kubernetes.ConfigMaps)
        {
            if (spec.Volumes.FirstOrDefault(v => v.Name == cm.Name) is { } both)
            {
                context.Diagnostics.Error(DiagnosticCodes.Conflict, $"'{cm.Name}' is both a volume and a configmap in the spec; it must be one of them", both.Location,
                    "read-only configuration belongs under configmaps, data under volumes");
            }
        }

        var resources = spec.Kubernetes.Resources;
        foreach (var name in resources.PerVolumeStorage.Keys.Where(n => !declared.Contains(n)))
        {
            context.Diagnostics.Error(DiagnosticCodes.UnknownReference, $"resources.volumes names volume '{name}', which no compose file of the stack declares",
                resources.PerVolumeStorage[name].Location, DidYouMean.Hint(name, declared));
        }

        var containers = context.Inputs.Bundle.All.SelectMany(f => f.Compose.Services).Select(s => s.Name).ToList();
        foreach (var (name, at) in resources.PerContainer.Where(p => !containers.Contains(p.Key)))
        {
            context.Diagnostics.Error(DiagnosticCodes.UnknownReference, $"resources.containers names '{name}', which is not a service of the stack", at.Location, DidYouMean.Hint(name, containers));
        }
    }

    /// <summary>
    /// security.unlimited-memlock: the runtime spec goes into D on both targets (on k8s for the operator's nodes); on
    /// k8s-kind the RuntimeClass is rendered too, cluster-scoped and shared by name, so stop never deletes it.
    /// </summary>
    private static JsonObject? MemlockRuntimeClass(RenderContext context)
    {
        var security = context.Spec.Kubernetes.Security;
        if (security.UnlimitedMemlock is null) return null;
        context.Files.Add(RenderedFile.Text(HighMemlock.SpecFile, HighMemlock.RuntimeSpec + "\n"));
        if (security.RuntimeClass is not null)
        {
            context.Diagnostics.Warning(DiagnosticCodes.Conflict, $"security.runtime-class '{security.RuntimeClass}' wins over unlimited-memlock: the pods do not run under '{HighMemlock.RuntimeClassName}'", security.UnlimitedMemlock);
        }

        if (context.Spec.DeployTo != DeployTarget.K8sKind) return null;
        return new JsonObject
        {
            ["apiVersion"] = "node.k8s.io/v1",
            ["kind"] = "RuntimeClass",
            ["metadata"] = new JsonObject { ["name"] = HighMemlock.RuntimeClassName, ["labels"] = context.Labels() },
            ["handler"] = HighMemlock.RuntimeClassName,
        };
    }

    /// <summary>
    /// deploy-to k8s copies the kubeconfig into D; k8s-kind writes the kind cluster's config and, when there is an
    /// Ingress to serve, the Caddy ingress controller start installs (with the certificate backup under kind-mount-root).
    /// </summary>
    private static void KubeConfigAndKind(RenderContext context, bool withIngress)
    {
        var spec = context.Spec;
        if (spec.DeployTo == DeployTarget.K8s)
        {
            if (context.Inputs.KubeConfig is null)
            {
                context.Diagnostics.Error(DiagnosticCodes.MissingKey, "deploy-to k8s needs 'kube-config': the kubeconfig file of the cluster", spec.KubeConfig?.Location ?? new SourceLocation(spec.FilePath, 1, 1));
            }
            else
            {
                context.Files.Add(new RenderedFile(KubeConfigFile, context.Inputs.KubeConfig, Secret: true));
            }

            return;
        }

        context.Files.Add(RenderedFile.Text(KindConfigFile, KindConfig.Render(spec, context.Volumes, context.Inputs.Bundle, context.Inputs.DeploymentDirectory)));
        if (!withIngress) return;
        var k = spec.Kubernetes;
        context.Files.Add(RenderedFile.Text(CaddyIngress.ManifestFile, KubeYaml.Stream(CaddyIngress.Render(k.CaddyIngressImage?.Value, k.AcmeEmail?.Value, backup: k.KindMountRoot is not null))));
    }
}
