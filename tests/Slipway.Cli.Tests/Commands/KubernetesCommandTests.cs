namespace Slipway.Cli.Tests.Commands;

/// <summary>The deployment commands on a k8s / k8s-kind directory reach the Kubernetes backend (through BackendFactory) with the CLI's flags.</summary>
public sealed class KubernetesCommandTests : IDisposable
{
    private const string Id = "slipway-clik8s01";
    private readonly CliHarness _cli = new();

    private const string ReadyPod = """
        {"items":[{"metadata":{"name":"web-1","uid":"0a1b2c3d4e5f6789","labels":{"slipway.io/pod":"web"}},
          "spec":{"containers":[{"name":"web"}]},
          "status":{"phase":"Running","containerStatuses":[{"name":"web","ready":true,"state":{"running":{}}}]}}]}
        """;

    public void Dispose() => _cli.Dispose();

    private string WriteDeployment(string target)
    {
        var d = _cli.Path("D");
        _cli.Workspace.WriteFile("D/deployment.yml", $"cluster-id: dev\ndeployment-id: {Id}\nstack-source: \"/stacks/tiny\"\n");
        _cli.Workspace.WriteFile("D/spec.yml", $"stack: ./stack\ndeploy-to: {target}\n");
        _cli.Workspace.WriteFile("D/stack.yml", "name: tiny\npods:\n  - web\n");
        _cli.Workspace.WriteFile("D/kubeconfig.yml", "apiVersion: v1\nkind: Config\n");
        _cli.Workspace.WriteFile("D/kind-config.yml", "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n");
        _cli.Workspace.WriteFile("D/k8s/manifests.yml", KubernetesFixtures.TinyManifests(Id, d));
        return d;
    }

    [Fact]
    public async Task Start_on_k8s_applies_through_kubectl_with_the_deployments_kubeconfig_and_logs_it()
    {
        var d = WriteDeployment("k8s");
        _cli.Runner.On("kubectl", "--kubeconfig", $"{d}/kubeconfig.yml", "get", "namespace").Returns(1, stderr: "Error from server (NotFound): namespaces \"tiny\" not found\n");
        _cli.Runner.On("kubectl", "--kubeconfig", $"{d}/kubeconfig.yml", "get", "pods").Returns(0, ReadyPod);
        _cli.Runner.On("kubectl", "--kubeconfig", $"{d}/kubeconfig.yml", "get", "deployments.apps").Returns(0, RolledOut);

        var run = await _cli.RunAsync("deployment", "--dir", d, "start");

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = _cli.Runner.CallLines();
        Assert.Single(lines, l => l.Contains(" apply --server-side --field-manager=slipway -f -", StringComparison.Ordinal));
        // apply does not wait (verify does): verify polls the Deployments' rollout and the pods.
        Assert.DoesNotContain(lines, l => l.Contains(" rollout status ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains($"get deployments.apps -n tiny -l slipway.io/deployment-id={Id} -o json", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("docker", StringComparison.Ordinal));
        var log = Assert.Single(Directory.GetFiles(Path.Combine(d, ".slipway", "logs")));
        Assert.Contains("apply --server-side", File.ReadAllText(log));
    }

    private const string RolledOut = $$$"""
        {"items":[{"metadata":{"name":"{{{Id}}}-web","generation":2},"spec":{"replicas":1},
          "status":{"observedGeneration":2,"replicas":1,"updatedReplicas":1,"availableReplicas":1}}]}
        """;

    [Fact]
    public async Task Start_on_kind_passes_perform_cluster_management_through()
    {
        var d = WriteDeployment("k8s-kind");
        _cli.Runner.On("kind", "get", "clusters").Returns(0, "");
        _cli.Runner.On("kind", "create").Returns(1, stderr: "ERROR: no docker\n");

        var run = await _cli.RunAsync("deployment", "--dir", d, "start", "--perform-cluster-management");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("kind create cluster --name dev --config " + d + "/kind-config.yml", string.Join('\n', _cli.Runner.CallLines()));
        Assert.Contains("ERROR: no docker", run.Err);
    }

    [Fact]
    public async Task Start_on_kind_without_the_flag_never_creates_a_cluster()
    {
        var d = WriteDeployment("k8s-kind");
        _cli.Runner.On("kind", "get", "clusters").Returns(0, "");

        var run = await _cli.RunAsync("deployment", "--dir", d, "start", "--skip-cluster-management");

        Assert.NotEqual(0, run.ExitCode);
        Assert.True(run.Err.Contains("--perform-cluster-management", StringComparison.Ordinal), run.ToString());
        Assert.DoesNotContain(_cli.Runner.CallLines(), l => l.Contains("create", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stop_with_delete_volumes_on_k8s_names_what_it_removed()
    {
        var d = WriteDeployment("k8s");
        _cli.Runner.On("kubectl", "--kubeconfig", $"{d}/kubeconfig.yml", "get", "persistentvolumeclaims").Returns(0, "persistentvolumeclaim/data\n");
        _cli.Runner.On("kubectl", "--kubeconfig", $"{d}/kubeconfig.yml", "get", "persistentvolumes").Returns(0, "{\"items\":[]}");

        var run = await _cli.RunAsync("deployment", "--dir", d, "stop", "--delete-volumes");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("removed PersistentVolumeClaims/PersistentVolumes: persistentvolumeclaim/data", run.Err + run.Out);
    }
}
