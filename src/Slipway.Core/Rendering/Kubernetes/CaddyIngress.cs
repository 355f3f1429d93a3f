using System.Text.Json.Nodes;

namespace Slipway.Core.Rendering.Kubernetes;

/// <summary>
/// The Caddy ingress controller Slipway installs into a kind cluster it runs for a deployment with http-proxy
/// (laconic-so's caddy-system install): namespace, RBAC, the global ConfigMap (ACME CA and e-mail), the Service, the
/// IngressClass <c>caddy</c> and the controller Deployment on the node labelled ingress-ready=true, binding the node's
/// ports 80/443 (kind-config.yml maps them to the host). With kind-mount-root, the certificate backup too: a CronJob that
/// copies Caddy's certificate Secrets to the mount root every 5 minutes, restored into a new cluster before Caddy starts.
/// Cluster-wide and shared by every deployment on the cluster: none of it carries a deployment-id label, so stop and
/// prune never delete it.
/// </summary>
public static class CaddyIngress
{
    /// <summary>The manifest in D (k8s-kind with http-proxy only).</summary>
    public const string ManifestFile = "k8s/caddy-ingress.yml";

    public const string Namespace = "caddy-system";

    public const string Controller = "caddy-ingress-controller";

    public const string ClassName = "caddy";

    /// <summary>laconic-so's image, used unless the spec sets caddy-ingress-image.</summary>
    public const string DefaultImage = "ghcr.io/laconicnetwork/caddy-ingress:latest";

    public const string LetsEncryptProduction = "https://acme-v02.api.letsencrypt.org/directory";

    public const string BackupName = "caddy-cert-backup";

    /// <summary>Where the backup lands, relative to kind-mount-root on the host (the node sees the root at /mnt).</summary>
    public const string BackupFile = "caddy-cert-backup/caddy-secrets.yaml";

    /// <summary>The label Caddy's certificate storage puts on its Secrets.</summary>
    public const string SecretSelector = "manager=caddy";

    /// <summary>The image of the backup CronJob (laconic-so's): a shell and kubectl.</summary>
    public const string BackupImage = "alpine/kubectl";

    /// <summary>Kinds of the backup: applied after the controller, never before the restore.</summary>
    public static bool IsBackupObject(string kind, string name) => name == BackupName && kind is "CronJob" or "ServiceAccount" or "Role" or "RoleBinding";

    /// <summary>Kubernetes' own default: a moving tag (none, or latest) is pulled every time, a fixed one only when missing.</summary>
    public static string PullPolicy(string image)
    {
        if (image.Contains('@', StringComparison.Ordinal)) return "IfNotPresent";
        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon <= slash || image[(colon + 1)..] == "latest" ? "Always" : "IfNotPresent";
    }

    public static IReadOnlyList<JsonObject> Render(string? image, string? acmeEmail, bool backup)
    {
        image ??= DefaultImage;
        var objects = new List<JsonObject>
        {
            new() { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = Metadata(Namespace, inNamespace: false) },
            new() { ["apiVersion"] = "v1", ["kind"] = "ServiceAccount", ["metadata"] = Metadata(Controller) },
            new()
            {
                ["apiVersion"] = "rbac.authorization.k8s.io/v1",
                ["kind"] = "ClusterRole",
                ["metadata"] = Metadata(Controller, inNamespace: false),
                ["rules"] = new JsonArray(
                    Rule(["", "networking.k8s.io", "coordination.k8s.io"], ["ingresses", "ingresses/status", "secrets", "leases"], ["*"]),
                    Rule(["", "discovery.k8s.io", "networking.k8s.io"], ["services", "endpoints", "endpointslices", "pods", "nodes", "configmaps", "ingressclasses"], ["get", "list", "watch"])),
            },
            new()
            {
                ["apiVersion"] = "rbac.authorization.k8s.io/v1",
                ["kind"] = "ClusterRoleBinding",
                ["metadata"] = Metadata(Controller, inNamespace: false),
                ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = Controller },
                ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = Controller, ["namespace"] = Namespace }),
            },
            ConfigMap(acmeEmail),
            new()
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Service",
                ["metadata"] = Metadata(Controller),
                ["spec"] = new JsonObject
                {
                    ["type"] = "ClusterIP",
                    ["selector"] = Selector(),
                    ["ports"] = new JsonArray(Port("http", 80), Port("https", 443)),
                },
            },
            new()
            {
                ["apiVersion"] = "networking.k8s.io/v1",
                ["kind"] = "IngressClass",
                ["metadata"] = Metadata(ClassName, inNamespace: false),
                ["spec"] = new JsonObject { ["controller"] = "caddy.io/ingress-controller" },
            },
            Deployment(image),
        };
        if (backup) objects.AddRange(Backup());
        return objects;
    }

    private static JsonObject ConfigMap(string? acmeEmail)
    {
        var data = new JsonObject { ["acmeCA"] = LetsEncryptProduction };
        if (acmeEmail is not null) data["email"] = acmeEmail;
        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = Metadata($"{Controller}-configmap"), ["data"] = data };
    }

    private static JsonObject Deployment(string image) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = Metadata(Controller),
        ["spec"] = new JsonObject
        {
            ["replicas"] = 1,
            // hostPort 80/443 can be bound by one pod at a time: the old one goes before the new one starts.
            ["strategy"] = new JsonObject { ["type"] = "Recreate" },
            ["selector"] = new JsonObject { ["matchLabels"] = Selector() },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = Labels(Controller) },
                ["spec"] = new JsonObject
                {
                    ["serviceAccountName"] = Controller,
                    ["nodeSelector"] = new JsonObject { ["ingress-ready"] = "true" },
                    ["tolerations"] = ControlPlaneTolerations(),
                    ["containers"] = new JsonArray(new JsonObject
                    {
                        ["name"] = Controller,
                        ["image"] = image,
                        ["imagePullPolicy"] = PullPolicy(image),
                        ["args"] = new JsonArray($"-config-map={Controller}-configmap", $"-class-name={ClassName}"),
                        ["env"] = new JsonArray(FieldEnv("POD_NAME", "metadata.name"), FieldEnv("POD_NAMESPACE", "metadata.namespace")),
                        ["ports"] = new JsonArray(HostPort("http", 80), HostPort("https", 443), new JsonObject { ["name"] = "metrics", ["containerPort"] = 9765, ["protocol"] = "TCP" }),
                        ["readinessProbe"] = new JsonObject
                        {
                            ["httpGet"] = new JsonObject { ["path"] = "/healthz", ["port"] = 9765 },
                            ["initialDelaySeconds"] = 3,
                            ["periodSeconds"] = 10,
                        },
                        ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "tmp", ["mountPath"] = "/tmp" }),
                    }),
                    ["volumes"] = new JsonArray(new JsonObject { ["name"] = "tmp", ["emptyDir"] = new JsonObject() }),
                },
            },
        },
    };

    /// <summary>
    /// The certificate backup: a Role that may only read Secrets in caddy-system, and a CronJob on the ingress node
    /// writing them to /mnt/caddy-cert-backup (the host's kind-mount-root). The file holds private keys: written with
    /// umask 077 (mode 0600, root's) and renamed into place, so a reader never sees half a file.
    /// </summary>
    private static IEnumerable<JsonObject> Backup()
    {
        yield return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ServiceAccount", ["metadata"] = Metadata(BackupName) };
        yield return new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "Role",
            ["metadata"] = Metadata(BackupName),
            ["rules"] = new JsonArray(Rule([""], ["secrets"], ["get", "list"])),
        };
        yield return new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "RoleBinding",
            ["metadata"] = Metadata(BackupName),
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Role", ["name"] = BackupName },
            ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = BackupName, ["namespace"] = Namespace }),
        };
        var file = "/backup/" + Path.GetFileName(BackupFile);
        // A cluster whose Caddy holds no certificate yet (a restore that could not read the file) never empties the backup.
        var script = $"umask 077 && if kubectl get secret -n {Namespace} -l {SecretSelector} -o name | grep -q .; then "
            + $"kubectl get secret -n {Namespace} -l {SecretSelector} -o yaml > {file}.tmp && mv {file}.tmp {file}; fi";
        yield return new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "CronJob",
            ["metadata"] = Metadata(BackupName),
            ["spec"] = new JsonObject
            {
                ["schedule"] = "*/5 * * * *",
                ["concurrencyPolicy"] = "Forbid",
                ["successfulJobsHistoryLimit"] = 1,
                ["failedJobsHistoryLimit"] = 3,
                ["jobTemplate"] = new JsonObject
                {
                    ["spec"] = new JsonObject
                    {
                        ["backoffLimit"] = 1,
                        ["template"] = new JsonObject
                        {
                            ["metadata"] = new JsonObject { ["labels"] = Labels(BackupName) },
                            ["spec"] = new JsonObject
                            {
                                ["serviceAccountName"] = BackupName,
                                ["restartPolicy"] = "OnFailure",
                                // The node kind mounted kind-mount-root into.
                                ["nodeSelector"] = new JsonObject { ["ingress-ready"] = "true" },
                                ["tolerations"] = ControlPlaneTolerations(),
                                ["containers"] = new JsonArray(new JsonObject
                                {
                                    ["name"] = "backup",
                                    ["image"] = BackupImage,
                                    ["command"] = new JsonArray("/bin/sh", "-c", script),
                                    ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "backup", ["mountPath"] = "/backup" }),
                                }),
                                ["volumes"] = new JsonArray(new JsonObject
                                {
                                    ["name"] = "backup",
                                    ["hostPath"] = new JsonObject { ["path"] = "/mnt/" + Path.GetDirectoryName(BackupFile), ["type"] = "DirectoryOrCreate" },
                                }),
                            },
                        },
                    },
                },
            },
        };
    }

    private static JsonObject Labels(string name) => new()
    {
        ["app.kubernetes.io/name"] = name,
        ["app.kubernetes.io/part-of"] = "caddy-ingress",
        [SlipwayLabels.ManagedByLabel] = SlipwayLabels.ManagedByValue,
    };

    private static JsonObject Selector() => new() { ["app.kubernetes.io/name"] = Controller };

    private static JsonObject Metadata(string name, bool inNamespace = true)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (inNamespace) metadata["namespace"] = Namespace;
        metadata["labels"] = Labels(name);
        return metadata;
    }

    private static JsonObject Rule(string[] groups, string[] resources, string[] verbs) => new()
    {
        ["apiGroups"] = new JsonArray([.. groups.Select(g => (JsonNode?)g)]),
        ["resources"] = new JsonArray([.. resources.Select(r => (JsonNode?)r)]),
        ["verbs"] = new JsonArray([.. verbs.Select(v => (JsonNode?)v)]),
    };

    // A multi-node kind config taints its control-plane, where the ingress-ready label and the mounts are.
    private static JsonArray ControlPlaneTolerations() => new(
        new JsonObject { ["key"] = "node-role.kubernetes.io/control-plane", ["operator"] = "Exists", ["effect"] = "NoSchedule" });

    private static JsonObject Port(string name, int port) =>
        new() { ["name"] = name, ["port"] = port, ["targetPort"] = name, ["protocol"] = "TCP" };

    private static JsonObject HostPort(string name, int port) =>
        new() { ["name"] = name, ["containerPort"] = port, ["hostPort"] = port, ["protocol"] = "TCP" };

    private static JsonObject FieldEnv(string name, string path) =>
        new() { ["name"] = name, ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["fieldPath"] = path } } };
}
