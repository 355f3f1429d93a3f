using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Backends.Kubernetes;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Tools;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.Kubernetes;

/// <summary>
/// start / restart / stop / volumes / namespace ownership against a real cluster (SLIPWAY_TEST_KUBECONFIG). The
/// deployment directories are written by hand in the renderer's file contract, so these tests exercise the kubectl
/// driving alone. The image (default busybox:1.36, override with SLIPWAY_TEST_K8S_IMAGE) must be pullable by the cluster.
/// The claims name no StorageClass, so the cluster needs a default one (kind and most distributions have it; a bare
/// kubeadm cluster does not: install one, e.g. local-path-provisioner, and mark it default). Every test checks that
/// first and fails with what is missing instead of timing out. Every test uses its own namespace and deletes it at the end.
/// </summary>
[Collection("kubernetes")]
public sealed class KubernetesEndToEndTests : IDisposable
{
    private static readonly string Image = Environment.GetEnvironmentVariable("SLIPWAY_TEST_K8S_IMAGE") ?? "busybox:1.36";
    private readonly TempWorkspace _workspace = new();
    private readonly IProcessRunner _runner = new SystemProcessRunner();
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly List<(KubernetesBackend Backend, string Namespace)> _cleanup = [];

    public void Dispose()
    {
        foreach (var (backend, ns) in _cleanup)
        {
            // Best effort: leave the cluster as it was found even when an assertion failed half-way.
            backend.Kubectl.RunAsync(["delete", "namespace", ns, "--ignore-not-found", "--wait=false"], CancellationToken.None).GetAwaiter().GetResult();
            backend.Kubectl.RunAsync(["delete", "persistentvolumes", "-l", $"slipway.io/deployment-id={Id(ns)}", "--ignore-not-found", "--wait=false"], CancellationToken.None).GetAwaiter().GetResult();
        }

        _workspace.Dispose();
    }

    private static string Id(string ns) => $"slipway-e2e{ns[^8..]}";

    private KubernetesBackend Deploy(string folder, string ns, bool withConfigMap = true, string extraEnv = "")
    {
        var d = _workspace.Combine(folder);
        var id = Id(ns);
        Directory.CreateDirectory(d);
        File.Copy(KubernetesFactAttribute.Kubeconfig, Path.Combine(d, "kubeconfig.yml"), overwrite: true);
        _workspace.WriteFile($"{folder}/deployment.yml", $"cluster-id: {id}\ndeployment-id: {id}\nstack-source: \"/stacks/e2e\"\n");
        _workspace.WriteFile($"{folder}/spec.yml", $"stack: ./stack\ndeploy-to: k8s\nnamespace: {ns}\n");
        _workspace.WriteFile($"{folder}/stack.yml", "name: e2e\npods:\n  - web\n");
        _workspace.WriteFile($"{folder}/k8s/manifests.yml", Manifests(d, ns, id, withConfigMap).Replace("                  ports:\n", extraEnv + "                  ports:\n", StringComparison.Ordinal));
        var backend = new KubernetesBackend(DeploymentSession.Open(d), ToolPaths.Default.With(_runner), new KubernetesBackendOptions { GetEnvironment = Environment.GetEnvironmentVariable });
        _cleanup.Add((backend, ns));
        RequireDefaultStorageClass(backend);
        return backend;
    }

    /// <summary>What these tests need of the cluster besides the image: a default StorageClass for their claims.</summary>
    private static void RequireDefaultStorageClass(KubernetesBackend backend)
    {
        var classes = backend.Kubectl.RunAsync(["get", "storageclasses", "-o", "jsonpath={.items[*].metadata.annotations.storageclass\\.kubernetes\\.io/is-default-class}"], CancellationToken.None).GetAwaiter().GetResult();
        Assert.True(classes.Succeeded && classes.StandardOutput.Contains("true", StringComparison.Ordinal),
            $"the cluster in {KubernetesFactAttribute.Kubeconfig} has no default StorageClass, which these tests' claims need: install one (e.g. local-path-provisioner) and mark it default ({classes.StandardError.Trim()})");
    }

    private static string Labels(string indent, string id, bool pod = false) =>
        $"{indent}app.kubernetes.io/managed-by: slipway\n{indent}slipway.io/deployment-id: {id}\n{indent}slipway.io/stack: e2e\n"
        + (pod ? $"{indent}slipway.io/pod: web\n" : "");

    private static string Manifests(string d, string ns, string id, bool withConfigMap) => $"""
        apiVersion: v1
        kind: Namespace
        metadata:
          name: {ns}
          labels:
        {Labels("    ", id)}  annotations:
            slipway.io/owner: {d}
        ---
        """ + (withConfigMap ? $"""

        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {id}-extra
          namespace: {ns}
          labels:
        {Labels("    ", id)}data:
          GREETING: hello
        ---
        """ : "") + $"""

        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: {id}-data
          namespace: {ns}
          labels:
        {Labels("    ", id)}spec:
          accessModes: [ReadWriteOnce]
          resources:
            requests:
              storage: 64Mi
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {id}-web
          namespace: {ns}
          labels:
        {Labels("    ", id, pod: true)}spec:
          replicas: 1
          strategy:
            type: Recreate
          selector:
            matchLabels:
              slipway.io/deployment-id: {id}
              slipway.io/pod: web
          template:
            metadata:
              labels:
        {Labels("        ", id, pod: true)}    spec:
              containers:
                - name: web
                  image: {Image}
                  command: ["sh", "-c", "mkdir -p /srv && echo ok > /srv/index.html && httpd -f -p 8080 -h /srv"]
                  ports:
                    - containerPort: 8080
                  readinessProbe:
                    tcpSocket:
                      port: 8080
                    periodSeconds: 2
                  volumeMounts:
                    - name: data
                      mountPath: /data
              volumes:
                - name: data
                  persistentVolumeClaim:
                    claimName: {id}-data
        """;

    private static ApplyOptions Start => new() { WaitTimeout = TimeSpan.FromMinutes(3) };

    private async Task<string> KubectlAsync(KubernetesBackend backend, params string[] args)
    {
        var result = await backend.Kubectl.RunAsync(args, CancellationToken.None);
        Assert.True(result.Succeeded, result.ToString());
        return result.StandardOutput.Trim();
    }

    [KubernetesFact]
    public async Task Start_restart_and_stop_leave_namespace_and_volumes_and_stop_with_flags_removes_them()
    {
        var ns = $"slipway-e2e-{_suffix}";
        var backend = Deploy("d1", ns);

        await backend.ApplyAsync(Start, CancellationToken.None);
        var running = await backend.StatusAsync(CancellationToken.None);
        var web = Assert.Single(running);
        Assert.Equal(("web", "running", "ready"), (web.Service, web.State, web.Health));

        await backend.ApplyAsync(Start with { ForceRecreate = true }, CancellationToken.None);
        var restarted = Assert.Single(await backend.StatusAsync(CancellationToken.None), s => s.State == "running");
        Assert.NotEqual(web.Name, restarted.Name);

        await backend.StopAsync(new StopOptions(), CancellationToken.None);
        Assert.Empty(await backend.StatusAsync(CancellationToken.None));
        Assert.Equal(ns, await KubectlAsync(backend, "get", "namespace", ns, "-o", "jsonpath={.metadata.name}"));
        Assert.Equal($"persistentvolumeclaim/{Id(ns)}-data", await KubectlAsync(backend, "get", "persistentvolumeclaims", "-n", ns, "-o", "name"));

        var outcome = await backend.StopAsync(new StopOptions { DeleteVolumes = true, DeleteNamespace = true }, CancellationToken.None);
        Assert.Contains($"persistentvolumeclaim/{Id(ns)}-data", outcome.RemovedVolumes);
        var gone = await backend.Kubectl.RunAsync(["get", "namespace", ns], CancellationToken.None);
        Assert.True(Kubectl.IsNotFound(gone), gone.ToString());
    }

    [KubernetesFact]
    public async Task Data_written_to_a_volume_survives_restart_and_stop_start()
    {
        var ns = $"slipway-e2e-{_suffix}";
        var backend = Deploy("d1", ns);
        await backend.ApplyAsync(Start, CancellationToken.None);
        await KubectlAsync(backend, "exec", "-n", ns, $"deployment/{Id(ns)}-web", "-c", "web", "--", "sh", "-c", "echo kept > /data/marker");

        await backend.ApplyAsync(Start with { ForceRecreate = true }, CancellationToken.None);
        Assert.Equal("kept", await KubectlAsync(backend, "exec", "-n", ns, $"deployment/{Id(ns)}-web", "-c", "web", "--", "cat", "/data/marker"));

        await backend.StopAsync(new StopOptions(), CancellationToken.None);
        await backend.ApplyAsync(Start, CancellationToken.None);
        Assert.Equal("kept", await KubectlAsync(backend, "exec", "-n", ns, $"deployment/{Id(ns)}-web", "-c", "web", "--", "cat", "/data/marker"));

        await backend.StopAsync(new StopOptions { DeleteVolumes = true, DeleteNamespace = true }, CancellationToken.None);
    }

    [KubernetesFact]
    public async Task An_object_dropped_from_the_manifests_is_pruned_at_the_next_start_but_the_claim_is_kept()
    {
        var ns = $"slipway-e2e-{_suffix}";
        var backend = Deploy("d1", ns);
        await backend.ApplyAsync(Start, CancellationToken.None);
        Assert.Contains($"configmap/{Id(ns)}-extra", await KubectlAsync(backend, "get", "configmaps", "-n", ns, "-o", "name"));

        backend = Deploy("d1", ns, withConfigMap: false);
        await backend.ApplyAsync(Start, CancellationToken.None);

        Assert.DoesNotContain($"configmap/{Id(ns)}-extra", await KubectlAsync(backend, "get", "configmaps", "-n", ns, "-o", "name"));
        Assert.Equal($"persistentvolumeclaim/{Id(ns)}-data", await KubectlAsync(backend, "get", "persistentvolumeclaims", "-n", ns, "-o", "name"));
        await backend.StopAsync(new StopOptions { DeleteVolumes = true, DeleteNamespace = true }, CancellationToken.None);
    }

    [KubernetesFact]
    public async Task A_pod_that_cannot_get_its_config_fails_the_start_at_once_not_at_the_timeout()
    {
        var ns = $"slipway-e2e-{_suffix}";
        // A required reference to a Secret nobody created: the server's pods sit in CreateContainerConfigError.
        var backend = Deploy("d1", ns, extraEnv: "                  env:\n                    - name: TEST_SECRET_KEY\n                      valueFrom:\n                        secretKeyRef: {name: test-secret, key: TEST_SECRET_KEY}\n");
        var started = DateTimeOffset.UtcNow;

        var error = await Assert.ThrowsAsync<SlipwayException>(() => backend.ApplyAsync(Start, CancellationToken.None));

        Assert.Equal(FailureReason.DeploymentFailed, error.Reason);
        Assert.Contains("CreateContainerConfigError", error.Message);
        Assert.Contains("test-secret", error.Message);
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromMinutes(2), "failed only after " + (DateTimeOffset.UtcNow - started));
        await backend.StopAsync(new StopOptions { DeleteVolumes = true, DeleteNamespace = true }, CancellationToken.None);
    }

    [KubernetesFact]
    public async Task A_second_deployment_directory_cannot_land_in_an_owned_namespace_and_an_unowned_one_is_adopted()
    {
        var ns = $"slipway-e2e-{_suffix}";
        var bare = Deploy("d0", ns);
        await KubectlAsync(bare, "create", "namespace", ns);
        var first = Deploy("d1", ns);

        await first.ApplyAsync(Start, CancellationToken.None);
        Assert.Equal(_workspace.Combine("d1"), await KubectlAsync(first, "get", "namespace", ns, "-o", "jsonpath={.metadata.annotations.slipway\\.io/owner}"));

        var second = Deploy("d2", ns);
        var error = await Assert.ThrowsAsync<SlipwayException>(() => second.ApplyAsync(Start, CancellationToken.None));
        Assert.Equal(FailureReason.Conflict, error.Reason);
        Assert.Contains("namespace:", error.Hint);

        await first.StopAsync(new StopOptions { DeleteVolumes = true, DeleteNamespace = true }, CancellationToken.None);
    }
}
