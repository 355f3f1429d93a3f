using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Backends.Kubernetes;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Tests.Backends.Kubernetes;

/// <summary>k8s-kind: the cluster is named by deployment.yml's cluster-id ("kindcluster" in the sample) and reached through its kind context.</summary>
public sealed class KindBackendTests : IDisposable
{
    private const string Cluster = "kindcluster";
    private const string Ns = KubernetesSample.Namespace;
    private const string Id = KubernetesSample.Id;
    private const string OwnedKinds = "deployments.apps,services,configmaps,secrets,ingresses.networking.k8s.io,jobs.batch";

    private readonly TempWorkspace _workspace = new();
    private readonly FakeProcessRunner _runner = new() { Strict = true };
    private readonly List<string> _warnings = [];
    private string _d = "";

    public void Dispose() => _workspace.Dispose();

    private string KindConfig => $"""
        kind: Cluster
        apiVersion: kind.x-k8s.io/v1alpha4
        nodes:
          - role: control-plane
            extraPortMappings:
              - containerPort: 80
                hostPort: 80
            extraMounts:
              - hostPath: {_workspace.Combine("kind-root")}
                containerPath: /mnt
                propagation: HostToContainer
              - hostPath: data/web-data
                containerPath: /mnt/web-data
        """;

    private KubernetesBackend Backend(bool withKindConfig = true)
    {
        _d = KubernetesSample.Write(_workspace, target: "k8s-kind", registry: false, jobs: false, kindConfig: withKindConfig ? KindConfig : null);
        return new KubernetesBackend(DeploymentSession.Open(_d), ToolPaths.Default.With(_runner), new KubernetesBackendOptions { Warn = _warnings.Add });
    }

    private static string[] K(params string[] args) => ["kubectl", "--context", $"kind-{Cluster}", .. args];

    private static string[] Argv(ProcessSpec spec) => [spec.FileName, .. spec.Arguments];

    private string MountsJson(string webData) =>
        "[{\"Type\":\"bind\",\"Source\":\"" + _workspace.Combine("kind-root") + "\",\"Destination\":\"/mnt\"},"
        + "{\"Type\":\"bind\",\"Source\":\"" + webData + "\",\"Destination\":\"/mnt/web-data\"},"
        + "{\"Type\":\"volume\",\"Source\":\"/var/lib/docker/volumes/x\",\"Destination\":\"/var\"}]";

    private void RestOfApplySucceeds()
    {
        _runner.On(K("get", "namespace")).Returns(1, stderr: "Error from server (NotFound): namespaces \"shop-ns\" not found\n");
        _runner.On(K("apply")).Returns(0);
        _runner.On(K("get", OwnedKinds)).Returns(0);
        KubernetesSample.Healthy(_runner, K);
    }

    [Fact]
    public async Task Prepare_says_every_spec_secret_is_missing_while_the_kind_cluster_is_not_running_without_asking_kubectl()
    {
        Backend();
        File.AppendAllText(Path.Combine(_d, "spec.yml"), "secrets:\n  test-secret: [TEST_SECRET_KEY]\n");
        var backend = new KubernetesBackend(DeploymentSession.Open(_d), ToolPaths.Default.With(_runner), new KubernetesBackendOptions { Warn = _warnings.Add });
        _runner.On("kind", "get", "clusters").Returns(0, "other\n");

        var warning = Assert.Single(await backend.PrepareWarningsAsync(CancellationToken.None));

        Assert.Contains($"does not exist in kind cluster {Cluster}, which is not running yet", warning);
        Assert.Contains("create secret generic test-secret --from-literal=TEST_SECRET_KEY=...", warning);
        Assert.DoesNotContain(_runner.Calls, c => c.FileName == "kubectl");
    }

    [Fact]
    public async Task Start_reuses_the_running_cluster_after_checking_its_mounts_and_talks_through_its_context()
    {
        var backend = Backend();
        _runner.On("kind", "get", "clusters").Returns(0, $"other\n{Cluster}\n");
        _runner.On("docker", "inspect").Returns(0, MountsJson(Path.Combine(_d, "data", "web-data")));
        RestOfApplySucceeds();

        await backend.ApplyAsync(new ApplyOptions(), CancellationToken.None);

        Assert.Equal(["kind", "get", "clusters"], Argv(_runner.Calls[0]));
        Assert.Equal(["docker", "inspect", "--format", "{{json .Mounts}}", $"{Cluster}-control-plane"], Argv(_runner.Calls[1]));
        Assert.All(_runner.Calls.Skip(2), c => Assert.Equal(K(), Argv(c).Take(3)));
        Assert.DoesNotContain(_runner.Calls, c => c.Arguments.Contains("create"));
        Assert.Empty(_warnings);
    }

    [Fact]
    public async Task A_running_cluster_with_other_mounts_is_refused_with_the_fix()
    {
        var backend = Backend();
        _runner.On("kind", "get", "clusters").Returns(0, $"{Cluster}\n");
        _runner.On("docker", "inspect").Returns(0, "[{\"Type\":\"bind\",\"Source\":\"/srv/elsewhere\",\"Destination\":\"/mnt\"}]");

        var error = await Assert.ThrowsAsync<SlipwayException>(() => backend.ApplyAsync(new ApplyOptions(), CancellationToken.None));

        Assert.Equal(FailureReason.Conflict, error.Reason);
        Assert.Contains($"/mnt: expected host path '{_workspace.Combine("kind-root")}', actual '/srv/elsewhere'", error.Message);
        Assert.Contains($"/mnt/web-data: expected host path '{Path.Combine(_d, "data", "web-data")}', actual NOT MOUNTED", error.Message);
        Assert.Contains("kind-mount-root: /srv/elsewhere", error.Hint);
        Assert.Contains($"kind delete cluster --name {Cluster}", error.Hint);
        Assert.DoesNotContain(_runner.Calls, c => c.FileName == "kubectl");
    }

    [Fact]
    public async Task Mounts_that_cannot_be_inspected_warn_and_the_start_goes_on()
    {
        var backend = Backend();
        _runner.On("kind", "get", "clusters").Returns(0, $"{Cluster}\n");
        _runner.On("docker", "inspect").Returns(1, stderr: "Error: No such object: kindcluster-control-plane\n");
        RestOfApplySucceeds();

        await backend.ApplyAsync(new ApplyOptions(), CancellationToken.None);

        Assert.Contains("not verified", Assert.Single(_warnings));
    }

    [Fact]
    public async Task Without_a_running_cluster_start_refuses_unless_cluster_management_is_asked_for()
    {
        var backend = Backend();
        _runner.On("kind", "get", "clusters").Returns(0, "", "No kind clusters found.\n");

        var error = await Assert.ThrowsAsync<SlipwayException>(() => backend.ApplyAsync(new ApplyOptions(), CancellationToken.None));

        Assert.Equal(FailureReason.PrerequisiteMissing, error.Reason);
        Assert.Contains($"no kind cluster named '{Cluster}' is running", error.Message);
        Assert.Contains("--perform-cluster-management", error.Hint);
        Assert.Single(_runner.Calls);
    }

    [Fact]
    public async Task With_cluster_management_start_creates_the_cluster_from_D_kind_config()
    {
        var backend = Backend();
        _runner.On("kind", "get", "clusters").Returns(0, "");
        _runner.On("kind", "create", "cluster").Returns(0);
        RestOfApplySucceeds();

        await backend.ApplyAsync(new ApplyOptions { PerformClusterManagement = true }, CancellationToken.None);

        var create = _runner.Single(c => c.Arguments.Contains("create"));
        Assert.Equal(["kind", "create", "cluster", "--name", Cluster, "--config", $"{_d}/kind-config.yml"], Argv(create));
        Assert.Equal(_d, create.WorkingDirectory);
        Assert.True(create.Timeout >= TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task A_failed_cluster_creation_is_reported_with_kinds_words()
    {
        var backend = Backend();
        _runner.On("kind", "get", "clusters").Returns(0, "");
        _runner.On("kind", "create", "cluster").Returns(1, stderr: "ERROR: failed to create cluster: port 80 is already allocated\n");

        var error = await Assert.ThrowsAsync<SlipwayException>(() => backend.ApplyAsync(new ApplyOptions { PerformClusterManagement = true }, CancellationToken.None));

        Assert.Equal(FailureReason.DeploymentFailed, error.Reason);
        Assert.Contains("port 80 is already allocated", error.Message);
    }

    [Fact]
    public async Task A_missing_kind_is_a_missing_prerequisite_naming_it()
    {
        var backend = Backend();
        _runner.On("kind").Throws(new ToolNotFoundException("kind"));

        var error = await Assert.ThrowsAsync<ToolNotFoundException>(() => backend.ApplyAsync(new ApplyOptions(), CancellationToken.None));

        Assert.Equal(FailureReason.PrerequisiteMissing, error.Reason);
        Assert.Equal("kind", error.Tool);
    }

    [Fact]
    public async Task Stop_keeps_the_cluster_by_default()
    {
        var backend = Backend();
        _runner.On("kind", "get", "clusters").Returns(0, $"{Cluster}\n");
        _runner.On(K("delete")).Returns(0);

        await backend.StopAsync(new StopOptions(), CancellationToken.None);

        Assert.DoesNotContain(_runner.Calls, c => c.FileName == "kind" && c.Arguments.Contains("delete"));
    }

    [Fact]
    public async Task Stop_with_cluster_management_deletes_the_cluster_when_no_other_deployment_uses_it()
    {
        var backend = Backend();
        _runner.On("kind", "get", "clusters").Returns(0, $"{Cluster}\n");
        _runner.On(K("delete")).Returns(0);
        _runner.On(K("get", "namespaces")).Returns(0, "{\"items\":[{\"metadata\":{\"name\":\"shop-ns\",\"annotations\":{\"slipway.io/owner\":\"" + _d + "\"}}},{\"metadata\":{\"name\":\"default\"}}]}");
        _runner.On("kind", "delete", "cluster").Returns(0);

        await backend.StopAsync(new StopOptions { PerformClusterManagement = true }, CancellationToken.None);

        Assert.Equal(["kind", "delete", "cluster", "--name", Cluster], Argv(_runner.Calls[^1]));
    }

    [Fact]
    public async Task Stop_with_cluster_management_never_deletes_a_cluster_other_deployments_share()
    {
        var backend = Backend();
        _runner.On("kind", "get", "clusters").Returns(0, $"{Cluster}\n");
        _runner.On(K("delete")).Returns(0);
        _runner.On(K("get", "namespaces")).Returns(0, "{\"items\":[{\"metadata\":{\"name\":\"blog\",\"annotations\":{\"slipway.io/owner\":\"/srv/blog\"}}}]}");

        var error = await Assert.ThrowsAsync<SlipwayException>(() => backend.StopAsync(new StopOptions { PerformClusterManagement = true }, CancellationToken.None));

        Assert.Equal(FailureReason.Conflict, error.Reason);
        Assert.Contains("/srv/blog", error.Message);
        Assert.DoesNotContain(_runner.Calls, c => c.FileName == "kind" && c.Arguments.Contains("delete"));
    }

    [Fact]
    public async Task Stop_when_the_cluster_is_gone_has_nothing_to_do()
    {
        var backend = Backend();
        _runner.On("kind", "get", "clusters").Returns(0, "");

        var outcome = await backend.StopAsync(new StopOptions { DeleteVolumes = true }, CancellationToken.None);

        Assert.Single(_runner.Calls);
        Assert.Empty(outcome.RemovedVolumes);
    }

    [Fact]
    public async Task Deleted_volumes_on_kind_report_the_host_path_behind_the_node_path()
    {
        var backend = Backend();
        _runner.On("kind", "get", "clusters").Returns(0, $"{Cluster}\n");
        _runner.On(K("delete")).Returns(0);
        _runner.On(K("get", "persistentvolumeclaims")).Returns(0, "");
        _runner.On(K("get", "persistentvolumes")).Returns(0,
            "{\"items\":[{\"metadata\":{\"name\":\"a\"},\"spec\":{\"hostPath\":{\"path\":\"/mnt/web-data\"}}},"
            + "{\"metadata\":{\"name\":\"b\"},\"spec\":{\"hostPath\":{\"path\":\"/mnt/shop/db\"}}}]}");

        var outcome = await backend.StopAsync(new StopOptions { DeleteVolumes = true }, CancellationToken.None);

        Assert.Equal([Path.Combine(_d, "data", "web-data"), Path.Combine(_workspace.Combine("kind-root"), "shop", "db")], outcome.KeptHostPaths);
    }

    [Fact]
    public async Task Loading_images_copies_them_into_the_cluster()
    {
        var backend = Backend();
        _runner.On("kind", "load").Returns(0);

        await backend.LoadImagesAsync(["shop/web:3f2a", "shop/sidecar:3f2a"], CancellationToken.None);

        Assert.Equal(["kind", "load", "docker-image", "--name", Cluster, "shop/web:3f2a", "shop/sidecar:3f2a"], Argv(Assert.Single(_runner.Calls)));
    }

    [Fact]
    public async Task Plan_without_a_running_cluster_shows_everything_as_created()
    {
        var backend = Backend();
        _runner.On("kind", "get", "clusters").Returns(0, "");

        var changes = await backend.PlanAsync(new ApplyOptions(), CancellationToken.None);

        Assert.All(changes, c => Assert.Equal("create", c.Action));
        Assert.Contains(changes, c => c.Kind == "Deployment" && c.Name == $"{Id}-web");
        Assert.Single(_runner.Calls);
    }

    [Theory]
    [InlineData("", "fresh-id", false)]
    [InlineData("No kind clusters found.\n", "fresh-id", false)]
    [InlineData("dev\n", "dev", false)]
    [InlineData("zeta\nalpha\n", "alpha", true)]
    public async Task Deploy_create_inherits_the_running_kind_clusters_name_as_cluster_id(string clusters, string expected, bool warns)
    {
        _runner.On("kind", "get", "clusters").Returns(0, clusters);

        var (clusterId, warning) = await KindCluster.InheritClusterIdAsync(new Kind(_runner), "fresh-id", _workspace.Path, CancellationToken.None);

        Assert.Equal(expected, clusterId);
        Assert.Equal(warns, warning is not null);
    }

    [Fact]
    public async Task Deploy_create_without_kind_keeps_its_own_cluster_id()
    {
        _runner.On("kind").Throws(new ToolNotFoundException("kind"));

        var (clusterId, warning) = await KindCluster.InheritClusterIdAsync(new Kind(_runner), "fresh-id", _workspace.Path, CancellationToken.None);

        Assert.Equal("fresh-id", clusterId);
        Assert.Contains("kind", warning);
    }
}
