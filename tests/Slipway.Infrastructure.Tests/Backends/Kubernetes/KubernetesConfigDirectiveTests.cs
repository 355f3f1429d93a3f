using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Backends.Kubernetes;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Tests.Backends.Kubernetes;

/// <summary>The stack's config: directives on Kubernetes: after the rollout, exported from one live pod and imported into another.</summary>
public sealed class KubernetesConfigDirectiveTests : IDisposable
{
    private const string Id = KubernetesSample.Id;
    private const string Ns = KubernetesSample.Namespace;
    private const string Selector = $"slipway.io/deployment-id={Id}";
    private const string OwnedKinds = "deployments.apps,services,configmaps,secrets,ingresses.networking.k8s.io,jobs.batch";

    private readonly TempWorkspace _workspace = new();
    private readonly FakeProcessRunner _runner = new() { Strict = true };
    private readonly ManualClock _clock = new();
    private readonly List<string> _progress = [];
    private string _d = "";

    public void Dispose() => _workspace.Dispose();

    private string[] K(params string[] args) => ["kubectl", "--kubeconfig", $"{_d}/kubeconfig.yml", .. args];

    /// <summary>The sample D whose stack hands web's NODE_ID to worker's PEER_ID.</summary>
    private KubernetesBackend Backend()
    {
        _d = KubernetesSample.Write(_workspace, registry: false, jobs: false);
        File.WriteAllText(Path.Combine(_d, "stack.yml"), "name: shop\npods:\n  - web\n  - worker\nconfig:\n  worker:\n    PEER_ID: web.NODE_ID\n");
        _runner.On(K("get", "namespace", Ns, "-o", "json")).Returns(1, stderr: $"Error from server (NotFound): namespaces \"{Ns}\" not found\n");
        _runner.On(K("get", "jobs.batch")).Returns(0);
        _runner.On(K("apply")).Returns(0);
        _runner.On(K("get", OwnedKinds)).Returns(0);
        _runner.On(K("get", "pods", "-n", Ns, "-l", $"{Selector},slipway.io/pod=web")).Returns(0, WebPods);
        _runner.On(K("get", "pods", "-n", Ns, "-l", $"{Selector},slipway.io/pod=worker")).Returns(0, WorkerPods);
        KubernetesSample.Healthy(_runner, K);
        return new(DeploymentSession.Open(_d), ToolPaths.Default.With(_runner), new KubernetesBackendOptions
        {
            Warn = _ => { },
            Clock = _clock,
            Delay = (d, _) => { _clock.Advance(d); return Task.CompletedTask; },
        });
    }

    /// <summary>The old pod of a rolling update still running and ready but terminating, the new one, and one still pending.</summary>
    private const string WebPods = """
        {"items":[
          {"metadata":{"name":"web-old","creationTimestamp":"2026-11-30T09:00:00Z","deletionTimestamp":"2026-11-30T10:00:00Z"},
           "status":{"phase":"Running","containerStatuses":[{"name":"web","ready":true}]}},
          {"metadata":{"name":"web-new","creationTimestamp":"2026-11-30T09:58:00Z"},
           "status":{"phase":"Running","containerStatuses":[{"name":"sidecar","ready":true},{"name":"web","ready":true}]}},
          {"metadata":{"name":"web-next","creationTimestamp":"2026-11-30T09:59:00Z"},
           "status":{"phase":"Pending","containerStatuses":[{"name":"web","ready":false}]}}]}
        """;

    private const string WorkerPods = """
        {"items":[{"metadata":{"name":"worker-1","creationTimestamp":"2026-11-30T09:58:00Z"},
           "status":{"phase":"Running","containerStatuses":[{"name":"worker","ready":true}]}}]}
        """;

    private string[] Export => K("exec", "-n", Ns, "web-new", "-c", "web", "--", "sh", "/docker-entrypoint-scripts.d/export-NODE_ID.sh");

    private string[] Import => K("exec", "-n", Ns, "worker-1", "-c", "worker", "--", "sh", "/scripts/import-PEER_ID.sh", "node-7f3a");

    private static string[] Argv(ProcessSpec spec) => [spec.FileName, .. spec.Arguments];

    [Fact]
    public async Task Start_waits_for_the_rollout_then_hands_the_exported_value_from_a_live_pod_to_the_destinations_import_script()
    {
        var backend = Backend();
        // The first ask finds no value yet: asked again after a pause.
        _runner.On(Export).Once().Returns(0, "\n");
        _runner.On(Export).Returns(0, "node-7f3a\n");
        _runner.On(Import).Returns(0);

        // The pipeline's apply does not wait; with directives it must, so they find the new pods.
        await backend.ApplyAsync(new ApplyOptions { Wait = false, Progress = _progress.Add }, CancellationToken.None);

        var calls = _runner.Calls.Select(Argv).ToList();
        var apply = calls.FindIndex(c => c.Contains("apply"));
        var rolledOut = calls.FindIndex(c => c.SequenceEqual(K("get", "deployments.apps", "-n", Ns, "-l", Selector, "-o", "json")));
        var exports = calls.Select((c, i) => (c, i)).Where(x => x.c.SequenceEqual(Export)).Select(x => x.i).ToList();
        var import = calls.FindIndex(c => c.SequenceEqual(Import));
        Assert.True(apply < rolledOut && rolledOut < exports[0], string.Join('\n', calls.Select(c => string.Join(' ', c))));
        Assert.Equal(2, exports.Count);
        Assert.True(exports[1] < import);
        Assert.Equal(TimeSpan.FromSeconds(2), _clock.GetUtcNow() - ManualClock.Start);
        Assert.Contains("node-7f3a", _runner.Calls[import].Secrets);
        Assert.Contains("config: web.NODE_ID → worker.PEER_ID", _progress);
    }

    [Fact]
    public async Task A_source_that_prints_no_value_in_five_minutes_fails_the_start_naming_the_directive_and_where_to_read_its_logs()
    {
        var backend = Backend();
        _runner.On(Export).Returns(1, stderr: "sh: can't open '/docker-entrypoint-scripts.d/export-NODE_ID.sh'\n");

        var failure = await Assert.ThrowsAsync<SlipwayException>(() => backend.ApplyAsync(new ApplyOptions { Wait = false }, CancellationToken.None));

        Assert.Equal(FailureReason.VerifyTimeout, failure.Reason);
        Assert.Contains("stack.yml:7", failure.Message);
        Assert.Contains("web printed no value for NODE_ID within 5 minutes", failure.Message);
        Assert.Equal($"see 'slipway deployment --dir {_d} logs web'", failure.Hint);
        Assert.DoesNotContain(_runner.Calls, c => c.Arguments.Contains("worker-1"));
    }

    [Fact]
    public async Task A_failing_import_fails_the_start_with_the_scripts_words()
    {
        var backend = Backend();
        _runner.On(Export).Returns(0, "node-7f3a\n");
        _runner.On(Import).Returns(2, stderr: "peer store is read-only\n");

        var failure = await Assert.ThrowsAsync<SlipwayException>(() => backend.ApplyAsync(new ApplyOptions { Wait = false }, CancellationToken.None));

        Assert.Equal(FailureReason.DeploymentFailed, failure.Reason);
        Assert.Contains("sh /scripts/import-PEER_ID.sh in worker failed (exit code 2):\npeer store is read-only", failure.Message);
    }

    [Fact]
    public void A_live_pod_is_running_not_terminating_with_the_container_ready_and_the_newest_of_those()
    {
        Assert.Equal("web-new", KubernetesAccess.LivePod(WebPods, "web"));
        Assert.Null(KubernetesAccess.LivePod(WebPods, "worker"));
        Assert.Null(KubernetesAccess.LivePod("{\"items\":[]}", "web"));
    }
}
