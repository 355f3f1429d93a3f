using Slipway.Infrastructure.Backends.Kubernetes;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Tests.Backends.Kubernetes;

/// <summary>deployment prepare on Kubernetes: the infrastructure of D applied in one call, with no workload and no prune.</summary>
public sealed class KubernetesPrepareTests : IDisposable
{
    private const string Ns = KubernetesSample.Namespace;
    private readonly TempWorkspace _workspace = new();
    private readonly FakeProcessRunner _runner = new() { Strict = true };
    private readonly Dictionary<string, string?> _environment = new() { [KubernetesSample.TokenVariable] = "ghp-registry-token-0123456789" };
    private string _d = "";

    public void Dispose() => _workspace.Dispose();

    private KubernetesBackend Backend()
    {
        _d = KubernetesSample.Write(_workspace);
        return new(DeploymentSession.Open(_d), ToolPaths.Default.With(_runner), new KubernetesBackendOptions
        {
            GetEnvironment = name => _environment.GetValueOrDefault(name),
            Warn = _ => { },
            Delay = (_, _) => Task.CompletedTask,
        });
    }

    private string[] K(params string[] args) => ["kubectl", "--kubeconfig", $"{_d}/kubeconfig.yml", .. args];

    [Fact]
    public async Task Prepare_applies_the_namespace_pull_secret_claims_and_configmaps_but_no_workload()
    {
        var backend = Backend();
        _runner.On(K("get", "namespace", Ns, "-o", "json")).Returns(1, stderr: $"Error from server (NotFound): namespaces \"{Ns}\" not found\n");
        _runner.On(K("apply")).Returns(0);

        var applied = await backend.PrepareAsync(performClusterManagement: false, null, CancellationToken.None);

        var apply = _runner.Single(c => c.Arguments.Contains("apply"));
        var objects = KubernetesManifests.Parse(apply.StandardInput!, "stdin");
        Assert.Equal(["Namespace", "Secret", "ConfigMap", "PersistentVolumeClaim"], objects.Select(o => o.Kind));
        Assert.DoesNotContain(objects, o => o.Kind is "Deployment" or "Service" or "Job" or "Ingress");
        Assert.Equal(objects.Select(o => $"{o.Kind} {o.Name}"), applied);
        // No prune and no rollout: prepare never deletes or waits.
        Assert.DoesNotContain(_runner.Calls, c => c.Arguments.Contains("delete") || c.Arguments.Contains("rollout"));
    }

    [Fact]
    public async Task Prepare_refuses_a_namespace_another_deployment_directory_owns()
    {
        var backend = Backend();
        _runner.On(K("get", "namespace", Ns, "-o", "json")).Returns(0, "{\"metadata\":{\"name\":\"" + Ns + "\",\"annotations\":{\"slipway.io/owner\":\"/elsewhere/D\"}}}");

        await Assert.ThrowsAnyAsync<Slipway.Core.Diagnostics.SlipwayException>(() => backend.PrepareAsync(false, null, CancellationToken.None));

        Assert.DoesNotContain(_runner.Calls, c => c.Arguments.Contains("apply"));
    }
}
