using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Backends.Kubernetes;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Tests.Backends.Kubernetes;

/// <summary>What start does for laconic-so's maintenance-service and the selector form of external-services, against kubectl's real answers.</summary>
public sealed class KubernetesLaconicKeysTests : IDisposable
{
    private const string Id = KubernetesSample.Id;
    private const string Ns = KubernetesSample.Namespace;
    private const string NotFound = "Error from server (NotFound): namespaces \"shop-ns\" not found\n";

    private readonly TempWorkspace _workspace = new();
    private readonly FakeProcessRunner _runner = new() { Strict = true };
    private readonly List<string> _warnings = [];
    private readonly List<string> _progress = [];
    private readonly ManualClock _clock = new();
    private string _d = "";

    public void Dispose() => _workspace.Dispose();

    private KubernetesBackend Backend(string extraManifests)
    {
        _d = KubernetesSample.Write(_workspace, registry: false, jobs: false);
        File.AppendAllText(Path.Combine(_d, "k8s", "manifests.yml"), "\n---\n" + extraManifests);
        return new KubernetesBackend(DeploymentSession.Open(_d), ToolPaths.Default.With(_runner), new KubernetesBackendOptions
        {
            GetEnvironment = _ => null,
            Warn = _warnings.Add,
            Clock = _clock,
            Delay = (by, _) =>
            {
                _clock.Advance(by);
                return Task.CompletedTask;
            },
        });
    }

    private string[] K(params string[] args) => ["kubectl", "--kubeconfig", $"{_d}/kubeconfig.yml", .. args];

    private static string[] Argv(ProcessSpec spec) => [spec.FileName, .. spec.Arguments];

    private static string Labels(string indent, string? pod = null) =>
        $"{indent}app.kubernetes.io/managed-by: slipway\n{indent}slipway.io/deployment-id: {Id}\n{indent}slipway.io/stack: shop\n"
        + (pod is null ? "" : $"{indent}slipway.io/pod: {pod}\n");

    private void Cluster(string liveObjects = "")
    {
        _runner.On(K("get", "deployments.apps,services,configmaps,secrets,ingresses.networking.k8s.io,jobs.batch,endpointslices.discovery.k8s.io")).Returns(0, liveObjects);
        _runner.On(K("get", "namespace", Ns, "-o", "json")).Returns(1, stderr: NotFound);
        _runner.On(K("apply")).Returns(0, "namespace/shop-ns serverside-applied\n");
        _runner.On(K("get", "deployments.apps,services,configmaps,secrets,ingresses.networking.k8s.io,jobs.batch")).Returns(0, liveObjects);
        _runner.On(K("delete")).Returns(0);
        KubernetesSample.Healthy(_runner, K);
    }

    // ---- maintenance-service

    private static readonly string MaintenanceManifests = $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {Id}-maint
          namespace: {Ns}
          labels:
        {Labels("    ", "maint")}spec:
          replicas: 1
          selector:
            matchLabels:
              slipway.io/deployment-id: {Id}
              slipway.io/pod: maint
          template:
            metadata:
              labels:
        {Labels("        ", "maint")}    spec:
              containers:
                - name: maintenance
                  image: shop/maintenance:1
                  ports:
                    - containerPort: 8080
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: {Id}
          namespace: {Ns}
          labels:
        {Labels("    ")}  annotations:
            slipway.io/maintenance-backend: {Id}-maint:8080
        spec:
          rules:
            - host: shop.example.org
              http:
                paths:
                  - path: /
                    pathType: Prefix
                    backend:
                      service:
                        name: {Id}-web
                        port:
                          number: 80
        """;

    private const string MaintAvailable = "{\"metadata\":{\"name\":\"slipway-k8st01ab-maint\",\"generation\":2},\"spec\":{\"replicas\":1},\"status\":{\"observedGeneration\":2,\"replicas\":1,\"updatedReplicas\":1,\"readyReplicas\":1,\"availableReplicas\":1}}";

    private List<(string Kind, string Name, string Backend)> Applied(ProcessSpec call) =>
        KubernetesManifests.Parse(call.StandardInput!, "stdin").Select(o => (o.Kind, o.Name,
            o.Kind == "Ingress" ? KubernetesManifests.Serialize([o]).Contains($"name: {Id}-maint", StringComparison.Ordinal) ? "maintenance" : "real" : "")).ToList();

    [Fact]
    public async Task Restart_points_the_live_ingress_at_the_maintenance_pod_while_the_other_pods_are_replaced_then_restores_it()
    {
        var backend = Backend(MaintenanceManifests);
        _runner.On(K("get", "ingresses.networking.k8s.io", Id, "-n", Ns, "-o", "name")).Returns(0, $"ingress.networking.k8s.io/{Id}\n");
        _runner.On(K("get", "deployments.apps", $"{Id}-maint")).Returns(0, MaintAvailable);
        _runner.On(K("rollout", "restart")).Returns(0, $"deployment.apps/{Id}-web restarted\ndeployment.apps/{Id}-worker restarted\n");
        Cluster();

        await backend.ApplyAsync(new ApplyOptions { Progress = _progress.Add, ImagePins = new Dictionary<string, string>(), ForceRecreate = true }, CancellationToken.None);

        var steps = _runner.Calls.Where(c => c.Arguments.Contains("apply") || c.Arguments.Contains("restart") || (c.Arguments.Contains($"{Id}-maint") && c.Arguments.Contains("get"))).ToList();
        Assert.Equal(6, steps.Count);
        var first = Applied(steps[0]);
        Assert.Contains(("Deployment", $"{Id}-maint", ""), first);
        Assert.DoesNotContain(first, o => o.Kind == "Ingress" || o.Name == $"{Id}-web" || o.Name == $"{Id}-worker");
        Assert.Equal(K("get", "deployments.apps", $"{Id}-maint", "-n", Ns, "-o", "json"), Argv(steps[1]));
        Assert.Equal([("Ingress", Id, "maintenance")], Applied(steps[2]));
        Assert.Equal([("Deployment", $"{Id}-web", ""), ("Deployment", $"{Id}-worker", "")], Applied(steps[3]));
        Assert.Equal(K("rollout", "restart", "-n", Ns, $"deployment/{Id}-web", $"deployment/{Id}-worker"), Argv(steps[4]));
        Assert.Equal([("Ingress", Id, "real")], Applied(steps[5]));
        // Ready before the restore: the health reads come between the restart and the last apply.
        var calls = _runner.Calls.ToList();
        var healthAt = calls.FindIndex(c => c.Arguments.Contains("pods") && c.Arguments.Contains("get"));
        Assert.InRange(healthAt, calls.IndexOf(steps[4]), calls.IndexOf(steps[5]));
    }

    [Fact]
    public async Task When_the_replaced_pods_never_get_ready_the_ingress_stays_on_the_maintenance_pod_and_the_error_says_so()
    {
        var backend = Backend(MaintenanceManifests);
        _runner.On(K("get", "namespace", Ns, "-o", "json")).Returns(1, stderr: NotFound);
        _runner.On(K("apply")).Returns(0, "deployment.apps/x serverside-applied\n");
        _runner.On(K("get", "ingresses.networking.k8s.io", Id, "-n", Ns, "-o", "name")).Returns(0, $"ingress.networking.k8s.io/{Id}\n");
        _runner.On(K("get", "deployments.apps", $"{Id}-maint")).Returns(0, MaintAvailable);
        _runner.On(K("rollout", "restart")).Returns(0);
        _runner.On(K("get", "deployments.apps")).Returns(0, KubernetesSample.RolledOut);
        _runner.On(K("get", "persistentvolumeclaims")).Returns(0, KubernetesSample.BoundClaims);
        _runner.On(K("get", "pods")).Returns(0, """
            {"items":[{"metadata":{"name":"web-2","uid":"3"},"spec":{"containers":[{"name":"web"}]},
              "status":{"phase":"Pending","containerStatuses":[{"name":"web","ready":false,"state":{"waiting":{"reason":"CreateContainerConfigError","message":"secret \"shop-secret\" not found"}}}]}}]}
            """);

        var error = await Assert.ThrowsAsync<SlipwayException>(() => backend.ApplyAsync(new ApplyOptions { ImagePins = new Dictionary<string, string>(), ForceRecreate = true }, CancellationToken.None));

        Assert.Contains("still points at the maintenance service", error.Message);
        Assert.Contains("CreateContainerConfigError", error.Message);
        var applies = _runner.Calls.Where(c => c.Arguments.Contains("apply")).ToList();
        Assert.Equal([("Ingress", Id, "maintenance")], Applied(applies[1]));
        Assert.DoesNotContain(applies.Skip(2), a => Applied(a).Any(o => o.Kind == "Ingress"));
    }

    [Fact]
    public async Task The_first_start_has_no_live_ingress_to_keep_so_it_applies_everything_at_once()
    {
        var backend = Backend(MaintenanceManifests);
        Cluster();
        _runner.On(K("get", "ingresses.networking.k8s.io", Id, "-n", Ns, "-o", "name")).Returns(1, stderr: $"Error from server (NotFound): ingresses.networking.k8s.io \"{Id}\" not found\n");
        _runner.On(K("rollout", "restart")).Returns(0);

        await backend.ApplyAsync(new ApplyOptions { ImagePins = new Dictionary<string, string>(), ForceRecreate = true }, CancellationToken.None);

        var apply = Assert.Single(_runner.Calls, c => c.Arguments.Contains("apply"));
        Assert.Contains(Applied(apply), o => o.Kind == "Ingress" && o.Backend == "real");
    }

    // ---- external-services, selector form

    private static readonly string SelectorManifests = $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: shared-db
          namespace: {Ns}
          labels:
        {Labels("    ")}spec:
          clusterIP: None
          ports:
            - name: port-5432
              port: 5432
              targetPort: 5432
              protocol: TCP
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: {Id}-shared-db
          namespace: {Ns}
          labels:
        {Labels("    ")}    kubernetes.io/service-name: shared-db
            endpointslice.kubernetes.io/managed-by: slipway.io
          annotations:
            slipway.io/external-selector: data/app=postgres,tier=db
        addressType: IPv4
        endpoints: []
        ports:
          - name: port-5432
            port: 5432
            protocol: TCP
        """;

    [Fact]
    public async Task Start_fills_a_selector_external_service_with_the_running_pods_of_the_other_namespace()
    {
        var backend = Backend(SelectorManifests);
        _runner.On(K("get", "pods", "-n", "data", "-l", "app=postgres,tier=db", "-o", "json")).Returns(0, """
            {"apiVersion":"v1","items":[
              {"metadata":{"name":"postgres-0","namespace":"data"},"status":{"phase":"Running","podIP":"10.244.0.17"}},
              {"metadata":{"name":"postgres-1","namespace":"data"},"status":{"phase":"Pending"}},
              {"metadata":{"name":"postgres-2","namespace":"data"},"status":{"phase":"Running","podIP":"10.244.0.9"}}],"kind":"List","metadata":{"resourceVersion":""}}
            """);
        Cluster();

        await backend.ApplyAsync(new ApplyOptions { Progress = _progress.Add, ImagePins = new Dictionary<string, string>() }, CancellationToken.None);

        var apply = Assert.Single(_runner.Calls, c => c.Arguments.Contains("apply"));
        var slice = KubernetesManifests.Parse(apply.StandardInput!, "stdin").Single(o => o.Kind == "EndpointSlice");
        var text = KubernetesManifests.Serialize([slice]);
        Assert.Contains("- 10.244.0.17", text);
        Assert.Contains("- 10.244.0.9", text);
        Assert.True(text.IndexOf("10.244.0.17", StringComparison.Ordinal) < text.IndexOf("10.244.0.9", StringComparison.Ordinal));
        Assert.Contains("ready: true", text);
        Assert.Empty(_warnings);
    }

    [Fact]
    public async Task A_selector_that_finds_no_running_pod_is_said_and_the_slice_stays_empty()
    {
        var backend = Backend(SelectorManifests);
        _runner.On(K("get", "pods", "-n", "data")).Returns(0, "{\"apiVersion\":\"v1\",\"items\":[],\"kind\":\"List\",\"metadata\":{\"resourceVersion\":\"\"}}");
        Cluster();

        await backend.ApplyAsync(new ApplyOptions { ImagePins = new Dictionary<string, string>() }, CancellationToken.None);

        var warning = Assert.Single(_warnings);
        Assert.Contains("no running pod in namespace data matches app=postgres,tier=db", warning);
        var apply = Assert.Single(_runner.Calls, c => c.Arguments.Contains("apply"));
        Assert.Contains("endpoints: []", KubernetesManifests.Serialize([KubernetesManifests.Parse(apply.StandardInput!, "stdin").Single(o => o.Kind == "EndpointSlice")]));
    }

    [Fact]
    public async Task Plan_diffs_the_selector_slice_with_the_addresses_start_would_apply_so_unchanged_pods_plan_as_unchanged()
    {
        var backend = Backend(SelectorManifests);
        _runner.On(K("get", "namespace", Ns)).Returns(0, "{\"metadata\":{\"name\":\"" + Ns + "\",\"annotations\":{\"slipway.io/owner\":\"" + _d + "\"}}}");
        _runner.On(K("get", "pods", "-n", "data")).Returns(0, "{\"items\":[{\"metadata\":{\"name\":\"postgres-0\"},\"status\":{\"phase\":\"Running\",\"podIP\":\"10.244.0.17\"}}]}");
        _runner.On(K("diff")).Returns(0, "");
        _runner.On(K("get")).Returns(0, "");

        var changes = await backend.PlanAsync(new ApplyOptions(), CancellationToken.None);

        var diff = Assert.Single(_runner.Calls, c => c.Arguments.Contains("diff"));
        Assert.Contains("10.244.0.17", KubernetesManifests.Serialize([KubernetesManifests.Parse(diff.StandardInput!, "stdin").Single(o => o.Kind == "EndpointSlice")]));
        Assert.Equal("unchanged", changes.Single(c => c.Kind == "EndpointSlice").Action);
    }
}
