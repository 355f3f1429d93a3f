using Slipway.Core.Diagnostics;
using Slipway.Core.Rendering.Kubernetes;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Backends.Kubernetes;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Tests.Backends.Kubernetes;

/// <summary>
/// The Caddy ingress controller of a k8s-kind deployment with http-proxy, against kubectl's answers: installed in
/// laconic-so's order when it is not ready (the certificate backup restored before the controller starts), left alone
/// when it is, its image patched only when caddy-ingress-image asks for another, and every wait bounded.
/// </summary>
public sealed class KindIngressTests : IDisposable
{
    private const string Cluster = "kindcluster";
    private const string Caddy = CaddyIngress.Controller;
    private const string OwnedKinds = "deployments.apps,services,configmaps,secrets,ingresses.networking.k8s.io,jobs.batch";

    private readonly TempWorkspace _workspace = new();
    private readonly FakeProcessRunner _runner = new() { Strict = true };
    private readonly List<string> _warnings = [];
    private readonly List<string> _progress = [];
    private readonly ManualClock _clock = new();
    private string _d = "";
    private Func<string, CancellationToken, Task<string>> _readHostFile = File.ReadAllTextAsync;

    public void Dispose() => _workspace.Dispose();

    private string MountRoot => _workspace.Combine("kind-root");

    private KubernetesBackend Backend(string specLines = "", string? image = null, bool backup = false)
    {
        _d = KubernetesSample.Write(_workspace, target: "k8s-kind", registry: false, jobs: false);
        if (backup) specLines += $"kind-mount-root: {MountRoot}\n";
        if (image is not null) specLines += $"caddy-ingress-image: {image}\n";
        File.AppendAllText(Path.Combine(_d, "spec.yml"), specLines);
        Directory.CreateDirectory(Path.Combine(_d, "k8s"));
        File.WriteAllText(Path.Combine(_d, CaddyIngress.ManifestFile), KubeYaml.Stream(CaddyIngress.Render(image, "ops@example.org", backup)));
        return new KubernetesBackend(DeploymentSession.Open(_d), ToolPaths.Default.With(_runner), new KubernetesBackendOptions
        {
            Warn = _warnings.Add,
            Clock = _clock,
            Delay = (by, _) =>
            {
                _clock.Advance(by);
                return Task.CompletedTask;
            },
            IngressTimeout = TimeSpan.FromSeconds(30),
            ReadHostFile = (path, ct) => _readHostFile(path, ct),
        });
    }

    private static string[] K(params string[] args) => ["kubectl", "--context", $"kind-{Cluster}", .. args];

    private static string[] Argv(ProcessSpec spec) => [spec.FileName, .. spec.Arguments];

    private static readonly string[] GetCaddy = K("get", "deployments.apps", Caddy, "-n", CaddyIngress.Namespace, "-o", "json");

    private static readonly string[] GetCaddyPods = K("get", "pods", "-n", CaddyIngress.Namespace, "-l", $"app.kubernetes.io/name={Caddy}", "-o", "json");

    private static string Controller(string image, bool ready) =>
        $"{{\"metadata\":{{\"name\":\"{Caddy}\",\"generation\":2}},\"spec\":{{\"replicas\":1,\"template\":{{\"spec\":{{\"containers\":[{{\"name\":\"{Caddy}\",\"image\":\"{image}\"}}]}}}}}},"
        + $"\"status\":{{\"observedGeneration\":2,\"replicas\":1,\"updatedReplicas\":1,\"availableReplicas\":{(ready ? 1 : 0)}}}}}";

    private static string Pods(string waitingReason, string message = "") =>
        $"{{\"items\":[{{\"metadata\":{{\"name\":\"caddy-1\",\"uid\":\"9\"}},\"spec\":{{\"containers\":[{{\"name\":\"{Caddy}\"}}]}},"
        + $"\"status\":{{\"phase\":\"Pending\",\"containerStatuses\":[{{\"name\":\"{Caddy}\",\"ready\":false,\"state\":{{\"waiting\":{{\"reason\":\"{waitingReason}\",\"message\":\"{message}\"}}}}}}]}}}}]}}";

    private void RunningCluster()
    {
        _runner.On("kind", "get", "clusters").Returns(0, $"{Cluster}\n");
        _runner.On("docker", "inspect").Returns(0, "[]");
    }

    private void NamespaceIsNew() => _runner.On(K("get", "namespace")).Returns(1, stderr: "Error from server (NotFound): namespaces \"shop-ns\" not found\n");

    private void RestOfApplySucceeds()
    {
        NamespaceIsNew();
        _runner.On(K("apply")).Returns(0);
        _runner.On(K("get", OwnedKinds)).Returns(0);
        KubernetesSample.Healthy(_runner, K);
    }

    private void CaddyAbsentThenReady(string image)
    {
        _runner.On(GetCaddy).Once().Returns(1, stderr: $"Error from server (NotFound): deployments.apps \"{Caddy}\" not found\n");
        _runner.On(GetCaddy).Once().Returns(0, Controller(image, ready: false));
        _runner.On(GetCaddyPods).Once().Returns(0, Pods("ContainerCreating"));
        _runner.On(GetCaddy).Returns(0, Controller(image, ready: true));
    }

    private List<ProcessSpec> Applies() => [.. _runner.Calls.Where(c => c.Arguments.Contains("apply"))];

    [Fact]
    public async Task A_cluster_without_caddy_gets_everything_but_the_controller_first_then_the_controller_then_waits_for_it_before_the_deployment()
    {
        var backend = Backend();
        RunningCluster();
        CaddyAbsentThenReady(CaddyIngress.DefaultImage);
        RestOfApplySucceeds();

        await backend.ApplyAsync(Options, CancellationToken.None);

        var applies = Applies();
        Assert.Equal(3, applies.Count);
        var first = applies[0].StandardInput!;
        foreach (var kind in new[] { "Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "ConfigMap", "Service", "IngressClass" }) Assert.Contains($"kind: {kind}\n", first);
        Assert.DoesNotContain("kind: Deployment", first);
        Assert.Contains("ops@example.org", first);
        Assert.Contains("--force-conflicts", applies[0].Arguments);
        Assert.Contains("kind: Deployment", applies[1].StandardInput!);
        Assert.Contains(CaddyIngress.DefaultImage, applies[1].StandardInput!);
        Assert.Contains($"namespace: {KubernetesSample.Namespace}", applies[2].StandardInput!);
        var lines = _runner.Calls.Select(c => string.Join(' ', Argv(c))).ToList();
        var ready = lines.FindLastIndex(l => l == string.Join(' ', GetCaddy));
        Assert.True(lines.IndexOf(string.Join(' ', Argv(applies[1]))) < ready && ready < lines.IndexOf(string.Join(' ', Argv(applies[2]))), string.Join('\n', lines));
        Assert.Contains($"installing the Caddy ingress controller into kind cluster {Cluster} (namespace caddy-system)", _progress);
        Assert.DoesNotContain(_runner.Calls, c => c.Arguments.Contains("patch"));
    }

    private ApplyOptions Options => new() { Progress = _progress.Add };

    [Fact]
    public async Task A_ready_controller_is_never_touched_without_caddy_ingress_image()
    {
        var backend = Backend();
        RunningCluster();
        _runner.On(GetCaddy).Returns(0, Controller("somebody/else:1", ready: true));
        RestOfApplySucceeds();

        await backend.ApplyAsync(Options, CancellationToken.None);

        var apply = Assert.Single(Applies());
        Assert.DoesNotContain("caddy-system", apply.StandardInput!);
        Assert.DoesNotContain(_runner.Calls, c => c.Arguments.Contains("patch"));
        Assert.Empty(_warnings);
    }

    [Fact]
    public async Task A_ready_controller_on_the_spec_image_is_left_alone()
    {
        var backend = Backend(image: "ghcr.io/acme/caddy:2.1");
        RunningCluster();
        _runner.On(GetCaddy).Returns(0, Controller("ghcr.io/acme/caddy:2.1", ready: true));
        RestOfApplySucceeds();

        await backend.ApplyAsync(Options, CancellationToken.None);

        Assert.Single(Applies());
        Assert.DoesNotContain(_runner.Calls, c => c.Arguments.Contains("patch"));
    }

    [Fact]
    public async Task A_ready_controller_on_another_image_is_patched_to_the_spec_image_and_waited_for_before_the_deployment()
    {
        var backend = Backend(image: "ghcr.io/acme/caddy:2.1");
        RunningCluster();
        _runner.On(GetCaddy).Once().Returns(0, Controller(CaddyIngress.DefaultImage, ready: true));
        _runner.On(K("patch", "deployments.apps", Caddy)).Returns(0);
        _runner.On(GetCaddy).Once().Returns(0, Controller("ghcr.io/acme/caddy:2.1", ready: false));
        _runner.On(GetCaddyPods).Once().Returns(0, Pods("ContainerCreating"));
        _runner.On(GetCaddy).Returns(0, Controller("ghcr.io/acme/caddy:2.1", ready: true));
        RestOfApplySucceeds();

        await backend.ApplyAsync(Options, CancellationToken.None);

        var patch = _runner.Single(c => c.Arguments.Contains("patch"));
        Assert.Equal(K("patch", "deployments.apps", Caddy, "-n", "caddy-system", "--type=strategic", "-p",
            "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"caddy-ingress-controller\",\"image\":\"ghcr.io/acme/caddy:2.1\",\"imagePullPolicy\":\"IfNotPresent\"}]}}}}"), Argv(patch));
        var calls = _runner.Calls.ToList();
        Assert.True(calls.IndexOf(patch) < calls.FindLastIndex(c => Argv(c).SequenceEqual(GetCaddy)));
        Assert.True(calls.FindLastIndex(c => Argv(c).SequenceEqual(GetCaddy)) < calls.IndexOf(Assert.Single(Applies())));
        Assert.Contains($"patching it to ghcr.io/acme/caddy:2.1. It serves every deployment on kind cluster {Cluster}", Assert.Single(_warnings));
    }

    [Fact]
    public async Task An_image_kubernetes_cannot_pull_fails_the_start_at_once_with_the_kubelets_words_and_the_deployment_is_not_applied()
    {
        var backend = Backend(image: "ghcr.io/acme/missing:9");
        RunningCluster();
        _runner.On(GetCaddy).Once().Returns(1, stderr: $"Error from server (NotFound): deployments.apps \"{Caddy}\" not found\n");
        _runner.On(GetCaddy).Returns(0, Controller("ghcr.io/acme/missing:9", ready: false));
        _runner.On(GetCaddyPods).Returns(0, Pods("ErrImagePull", "manifest unknown"));
        NamespaceIsNew();
        _runner.On(K("apply")).Returns(0);

        var error = await Assert.ThrowsAsync<SlipwayException>(() => backend.ApplyAsync(Options, CancellationToken.None));

        Assert.Equal(FailureReason.DeploymentFailed, error.Reason);
        Assert.Equal($"the Caddy ingress controller cannot start in kind cluster {Cluster}: caddy-1: waiting: ErrImagePull: manifest unknown", error.Message);
        Assert.Contains("ghcr.io/acme/missing:9 (set caddy-ingress-image", error.Hint);
        Assert.Equal(2, Applies().Count);
    }

    [Fact]
    public async Task A_controller_that_never_gets_ready_fails_after_the_bounded_wait_naming_what_it_saw()
    {
        var backend = Backend();
        RunningCluster();
        _runner.On(GetCaddy).Returns(0, Controller(CaddyIngress.DefaultImage, ready: false));
        _runner.On(GetCaddyPods).Returns(0, Pods("ContainerCreating"));
        NamespaceIsNew();
        _runner.On(K("apply")).Returns(0);

        var error = await Assert.ThrowsAsync<SlipwayException>(() => backend.ApplyAsync(Options, CancellationToken.None));

        Assert.Equal(FailureReason.VerifyTimeout, error.Reason);
        Assert.Equal("the Caddy ingress controller (deployment caddy-ingress-controller in namespace caddy-system) did not become ready within 30s: caddy-1: waiting: ContainerCreating", error.Message);
        Assert.Contains($"kubectl --context kind-{Cluster} -n caddy-system describe pods", error.Hint);
        Assert.Equal(ManualClock.Start + TimeSpan.FromSeconds(30), _clock.GetUtcNow());
        Assert.Contains("applying k8s/caddy-ingress.yml again", string.Join('\n', _progress));
    }

    [Fact]
    public async Task Without_a_rendered_caddy_manifest_nothing_about_caddy_is_asked()
    {
        var backend = Backend();
        File.Delete(Path.Combine(_d, CaddyIngress.ManifestFile));
        RunningCluster();
        RestOfApplySucceeds();

        await backend.ApplyAsync(Options, CancellationToken.None);

        Assert.DoesNotContain(_runner.Calls, c => c.Arguments.Contains("caddy-system"));
    }

    // ---- the certificate backup (kind-mount-root)

    private static readonly string BackupYaml = """
        apiVersion: v1
        items:
        - apiVersion: v1
          data:
            value: c2VjcmV0LWtleQ==
          kind: Secret
          metadata:
            annotations:
              kubectl.kubernetes.io/last-applied-configuration: '{"x":1}'
              note: kept
            creationTimestamp: "2026-11-01T10:00:00Z"
            labels:
              manager: caddy
            managedFields:
            - manager: caddy
            name: caddy.ingress--certificates.shop.example.org
            namespace: somewhere-else
            resourceVersion: "4242"
            uid: 0b0e6c3a-1111-2222-3333-444455556666
          type: Opaque
        kind: List
        metadata:
          resourceVersion: ""
        """;

    private void FreshCluster()
    {
        RunningCluster();
        CaddyAbsentThenReady(CaddyIngress.DefaultImage);
        RestOfApplySucceeds();
    }

    private void WriteBackup()
    {
        Directory.CreateDirectory(Path.Combine(MountRoot, "caddy-cert-backup"));
        File.WriteAllText(Path.Combine(MountRoot, CaddyIngress.BackupFile), BackupYaml);
    }

    [Fact]
    public async Task On_a_cluster_without_caddy_the_backup_is_restored_into_caddy_system_without_server_fields_before_the_controller_and_the_cronjob()
    {
        var backend = Backend(backup: true);
        WriteBackup();
        FreshCluster();

        await backend.ApplyAsync(Options, CancellationToken.None);

        var applies = Applies();
        Assert.Equal(4, applies.Count);
        Assert.DoesNotContain("kind: Deployment", applies[0].StandardInput!);
        Assert.Equal(
            "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"caddy.ingress--certificates.shop.example.org\",\"namespace\":\"caddy-system\","
            + "\"labels\":{\"manager\":\"caddy\"},\"annotations\":{\"note\":\"kept\"}},\"type\":\"Opaque\",\"data\":{\"value\":\"c2VjcmV0LWtleQ==\"}}]}",
            applies[1].StandardInput);
        Assert.Contains("--force-conflicts", applies[1].Arguments);
        Assert.Contains("kind: Deployment", applies[2].StandardInput!);
        Assert.Contains("kind: CronJob", applies[2].StandardInput!);
        Assert.True(applies[2].StandardInput!.IndexOf("kind: Deployment", StringComparison.Ordinal) < applies[2].StandardInput!.IndexOf("kind: CronJob", StringComparison.Ordinal));
        Assert.Contains($"restoring 1 Caddy certificate secret from {MountRoot}/caddy-cert-backup/caddy-secrets.yaml into caddy-system", _progress);
        Assert.DoesNotContain(_runner.Calls, c => c.Display().Contains("c2VjcmV0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_backup_this_user_may_not_read_is_copied_out_of_the_kind_node_read_and_the_copy_deleted()
    {
        var backend = Backend(backup: true);
        _readHostFile = (_, _) => throw new UnauthorizedAccessException("Access to the path is denied.");
        string? copy = null;
        _runner.On("docker", "cp").Responds(spec =>
        {
            copy = spec.Arguments[2];
            File.WriteAllText(copy, BackupYaml);
            return new ProcessResult(spec.Display(), 0, "", "", TimeSpan.Zero);
        });
        FreshCluster();

        await backend.ApplyAsync(Options, CancellationToken.None);

        var cp = _runner.Single(c => c.Arguments.Contains("cp"));
        Assert.Equal(["docker", "cp", $"{Cluster}-control-plane:/mnt/caddy-cert-backup/caddy-secrets.yaml", Path.Combine(_d, ".slipway", "caddy-secrets.restore.yaml")], Argv(cp));
        Assert.False(File.Exists(copy));
        Assert.Contains("caddy.ingress--certificates.shop.example.org", Applies()[1].StandardInput!);
        Assert.Empty(_warnings);
    }

    [Fact]
    public async Task A_backup_that_can_be_read_neither_way_warns_with_the_fix_and_caddy_is_installed_without_it()
    {
        var backend = Backend(backup: true);
        _readHostFile = (_, _) => throw new UnauthorizedAccessException("Access to the path is denied.");
        _runner.On("docker", "cp").Returns(1, stderr: "Error response from daemon: permission denied\n");
        FreshCluster();

        await backend.ApplyAsync(Options, CancellationToken.None);

        Assert.Equal(3, Applies().Count);
        var warning = Assert.Single(_warnings);
        Assert.Contains("is not readable by this user (root's, mode 0600) and copying it out of the kind node failed (Error response from daemon: permission denied)", warning);
        Assert.Contains("run start as root", warning);
    }

    [Fact]
    public async Task Without_a_backup_yet_the_install_says_so_and_goes_on()
    {
        var backend = Backend(backup: true);
        FreshCluster();

        await backend.ApplyAsync(Options, CancellationToken.None);

        Assert.Equal(3, Applies().Count);
        Assert.StartsWith($"no Caddy certificate backup at {MountRoot}/caddy-cert-backup/caddy-secrets.yaml yet", Assert.Single(_warnings));
    }

    [Fact]
    public async Task A_cluster_that_has_caddy_already_is_never_restored_over_even_when_caddy_is_not_ready()
    {
        var backend = Backend(backup: true);
        WriteBackup();
        RunningCluster();
        _runner.On(GetCaddy).Once().Returns(0, Controller(CaddyIngress.DefaultImage, ready: false));
        _runner.On(GetCaddy).Returns(0, Controller(CaddyIngress.DefaultImage, ready: true));
        RestOfApplySucceeds();

        await backend.ApplyAsync(Options, CancellationToken.None);

        Assert.Equal(3, Applies().Count);
        Assert.DoesNotContain(Applies(), a => a.StandardInput!.Contains("caddy.ingress--certificates", StringComparison.Ordinal));
    }
}
