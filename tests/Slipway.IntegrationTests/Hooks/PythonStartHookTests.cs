using Slipway.Cli.Commands;
using Slipway.Cli.Console;
using Slipway.Infrastructure.Composition;
using Slipway.Infrastructure.Processes;
using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.Hooks;

/// <summary>
/// laconic-so's start(deployment_context) on a Kubernetes deployment: kubectl is the fake runner's (no cluster here),
/// python3 is real. start() runs after the apply, from D's copy in D/hooks (not the stack's live file), and a failing
/// start() fails the run.
/// </summary>
[Collection(SideBySideCollection.Name)]
public sealed class PythonStartHookTests : IDisposable
{
    private const string Id = "slipway-pystart01";
    private readonly TempWorkspace _workspace = new();
    private readonly FakeProcessRunner _runner = new();

    public void Dispose() => _workspace.Dispose();

    private string Deployment(string startBody)
    {
        var d = _workspace.Combine("D");
        var stack = _workspace.Combine("stack");
        _workspace.WriteFile("stack/stack.yml", "name: tiny\npods:\n  - web\n");
        _workspace.WriteFile("stack/deploy/commands.py", "def start(deployment_context):\n    (deployment_context.deployment_dir / 'start-hook-marker').write_text('from-the-stack')\n");
        _workspace.WriteFile("D/deployment.yml", $"cluster-id: dev\ndeployment-id: {Id}\nstack-source: \"{stack}\"\n");
        _workspace.WriteFile("D/spec.yml", "stack: ./stack\ndeploy-to: k8s\n");
        _workspace.WriteFile("D/stack.yml", "name: tiny\npods:\n  - web\n");
        _workspace.WriteFile("D/kubeconfig.yml", "apiVersion: v1\nkind: Config\n");
        _workspace.WriteFile("D/k8s/manifests.yml", KubernetesFixtures.TinyManifests(Id, d));
        _workspace.WriteFile("D/hooks/commands.py", "import os\nimport sys\nfrom stack_orchestrator.deploy.deployment_context import DeploymentContext\n\n\n"
            + "def start(deployment_context: DeploymentContext):\n" + startBody);
        var kubectl = new[] { "kubectl", "--kubeconfig", $"{d}/kubeconfig.yml" };
        _runner.On([.. kubectl, "get", "namespace"]).Returns(1, stderr: "Error from server (NotFound): namespaces \"tiny\" not found\n");
        _runner.On([.. kubectl, "get", "pods"]).Returns(0, ReadyPod);
        _runner.On([.. kubectl, "get", "deployments.apps"]).Returns(0, RolledOut);
        // The one real child: the hook itself.
        _runner.On("python3").Responds(spec => new SystemProcessRunner().RunAsync(spec).GetAwaiter().GetResult());
        return d;
    }

    private async Task<(int Exit, string Err)> StartAsync(string d)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var cli = new SlipwayCli(new ConsoleUi(output, error, interactive: false), _runner, new HostSettings
        {
            CurrentDirectory = _workspace.Path,
            RepositoryBase = _workspace.Combine("repos"),
        });
        var exit = await cli.RunAsync(["deployment", "--dir", d, "start"], CancellationToken.None);
        return (exit, error.ToString() + output);
    }

    [Fact]
    public async Task Start_runs_after_the_apply_from_ds_copy_with_the_deployment_context_and_the_kubeconfig()
    {
        var d = Deployment("    marker = deployment_context.deployment_dir / 'start-hook-marker'\n"
            + "    marker.write_text(f\"from-d {deployment_context.id} {deployment_context.spec.is_kubernetes_deployment()} {deployment_context.stack.name} {os.environ.get('KUBECONFIG')}\")\n"
            + "    print('start hook ran')\n");

        var (exit, err) = await StartAsync(d);

        Assert.True(exit == 0, err);
        Assert.Equal($"from-d dev True tiny {d}/kubeconfig.yml", File.ReadAllText(Path.Combine(d, "start-hook-marker")));
        var calls = _runner.CallLines().ToList();
        var apply = calls.FindIndex(c => c.Contains(" apply --server-side", StringComparison.Ordinal));
        var start = calls.FindIndex(c => c.StartsWith("python3 ", StringComparison.Ordinal));
        Assert.True(apply >= 0 && start > apply, string.Join('\n', calls));
        Assert.Single(calls, c => c.StartsWith("python3 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_start_hook_that_exits_non_zero_fails_the_run_with_its_output()
    {
        var d = Deployment("    print('Error: the cluster is not ready for this')\n    sys.exit(3)\n");

        var (exit, err) = await StartAsync(d);

        Assert.Equal(Cli.ExitCodes.DeploymentFailed, exit);
        Assert.Contains($"start() of {d}/hooks/commands.py failed (exit code 3)", err);
        Assert.Contains("Error: the cluster is not ready for this", err);
        Assert.False(File.Exists(Path.Combine(d, "start-hook-marker")));
    }

    private const string ReadyPod = """
        {"items":[{"metadata":{"name":"web-1","uid":"0a1b2c3d4e5f6789","labels":{"slipway.io/pod":"web"}},
          "spec":{"containers":[{"name":"web"}]},
          "status":{"phase":"Running","containerStatuses":[{"name":"web","ready":true,"state":{"running":{}}}]}}]}
        """;

    private const string RolledOut = $$$"""
        {"items":[{"metadata":{"name":"{{{Id}}}-web","generation":2},"spec":{"replicas":1},
          "status":{"observedGeneration":2,"replicas":1,"updatedReplicas":1,"availableReplicas":1}}]}
        """;
}
