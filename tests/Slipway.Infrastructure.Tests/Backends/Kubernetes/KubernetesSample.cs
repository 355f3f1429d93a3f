
namespace Slipway.Infrastructure.Tests.Backends.Kubernetes;

/// <summary>
/// A hand-written k8s deployment directory following the renderer's file contract: two pods
/// (web with a NodePort and a volume, worker), a job, Slipway's labels, the Namespace's owner annotation and
/// imagePullSecrets naming &lt;id&gt;-registry. Written by hand so these tests do not depend on the renderer's code.
/// </summary>
internal static class KubernetesSample
{
    public const string Id = "slipway-k8st01ab";
    public const string Namespace = "shop-ns";
    public const string Password = "s3cret-password-value";
    public const string TokenVariable = "SHOP_REGISTRY_TOKEN";

    public static string Write(TempWorkspace workspace, string target = "k8s", bool registry = true, bool jobs = true, string? kindConfig = null)
    {
        var d = workspace.Combine("deployment");
        var credentials = registry
            ? $"registry-credentials:\n  server: registry.example.com\n  username: deployer\n  token-env: {TokenVariable}\n"
            : "";
        workspace.WriteFile("deployment/deployment.yml", $"cluster-id: kindcluster\ndeployment-id: {Id}\nstack-source: \"/stacks/shop\"\nspec-source: \"{workspace.Combine("spec.yml")}\"\n");
        workspace.WriteFile("deployment/spec.yml", $"stack: ./stack\ndeploy-to: {target}\nnamespace: {Namespace}\n{credentials}");
        workspace.WriteFile("deployment/stack.yml", "name: shop\npods:\n  - web\n  - worker\njobs:\n  - migrate\n");
        workspace.WriteFile("deployment/config.env", $"GREETING=hello\nDB_PASSWORD={Password}\n");
        workspace.WriteFile("deployment/kubeconfig.yml", "apiVersion: v1\nkind: Config\nclusters: []\n");
        workspace.WriteFile("deployment/k8s/manifests.yml", Manifests(d));
        if (jobs) workspace.WriteFile("deployment/k8s/jobs/migrate.yml", Job);
        if (kindConfig is not null) workspace.WriteFile("deployment/kind-config.yml", kindConfig);
        Directory.CreateDirectory(workspace.Combine("deployment", ".slipway", "logs"));
        return d;
    }

    /// <summary>get deployments -o json of a finished rollout of both pods.</summary>
    public static readonly string RolledOut =
        "{\"items\":[" + string.Join(",", new[] { "web", "worker" }.Select(p =>
            $"{{\"metadata\":{{\"name\":\"{Id}-{p}\",\"generation\":1}},\"spec\":{{\"replicas\":1}},\"status\":{{\"observedGeneration\":1,\"replicas\":1,\"updatedReplicas\":1,\"availableReplicas\":1}}}}")) + "]}";

    /// <summary>get pods -o json: every container of both pods running and ready.</summary>
    public const string ReadyPods = """
        {"items":[
          {"metadata":{"name":"web-1","uid":"1"},"spec":{"containers":[{"name":"web"},{"name":"sidecar"}]},
           "status":{"phase":"Running","containerStatuses":[{"name":"web","ready":true,"state":{"running":{}}},{"name":"sidecar","ready":true,"state":{"running":{}}}]}},
          {"metadata":{"name":"worker-1","uid":"2"},"spec":{"containers":[{"name":"worker"}]},
           "status":{"phase":"Running","containerStatuses":[{"name":"worker","ready":true,"state":{"running":{}}}]}}]}
        """;

    public static readonly string BoundClaims = $"{{\"items\":[{{\"metadata\":{{\"name\":\"{Id}-web-data\"}},\"status\":{{\"phase\":\"Bound\"}}}}]}}";

    /// <summary>The three reads of one health look, all healthy.</summary>
    public static void Healthy(FakeProcessRunner runner, Func<string[], string[]> k)
    {
        runner.On(k(["get", "deployments.apps"])).Returns(0, RolledOut);
        runner.On(k(["get", "pods"])).Returns(0, ReadyPods);
        runner.On(k(["get", "persistentvolumeclaims"])).Returns(0, BoundClaims);
    }

    private static string Labels(string indent, string? pod = null, string? service = null) =>
        $"{indent}app.kubernetes.io/managed-by: slipway\n{indent}slipway.io/deployment-id: {Id}\n{indent}slipway.io/stack: shop\n"
        + (pod is null ? "" : $"{indent}slipway.io/pod: {pod}\n")
        + (service is null ? "" : $"{indent}slipway.io/service: {service}\n");

    public static string Manifests(string d) => $"""
        apiVersion: v1
        kind: Namespace
        metadata:
          name: {Namespace}
          labels:
        {Labels("    ")}  annotations:
            slipway.io/owner: {d}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {Id}-config
          namespace: {Namespace}
          labels:
        {Labels("    ")}data:
          GREETING: hello
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: {Id}-web-data
          namespace: {Namespace}
          labels:
        {Labels("    ")}spec:
          accessModes: [ReadWriteOnce]
          resources:
            requests:
              storage: 1Gi
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: {Id}-nodeport-web-8080-tcp
          namespace: {Namespace}
          labels:
        {Labels("    ", service: "web")}spec:
          type: NodePort
          selector:
            slipway.io/deployment-id: {Id}
            slipway.io/pod: web
          ports:
            - port: 8080
              targetPort: 80
              protocol: TCP
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {Id}-web
          namespace: {Namespace}
          labels:
        {Labels("    ", pod: "web")}spec:
          replicas: 1
          strategy:
            type: Recreate
          selector:
            matchLabels:
              slipway.io/deployment-id: {Id}
              slipway.io/pod: web
          template:
            metadata:
              labels:
        {Labels("        ", pod: "web")}    spec:
              imagePullSecrets:
                - name: {Id}-registry
              containers:
                - name: web
                  image: shop/web:local
                  ports:
                    - containerPort: 80
                - name: sidecar
                  image: shop/sidecar:local
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {Id}-worker
          namespace: {Namespace}
          labels:
        {Labels("    ", pod: "worker")}spec:
          replicas: 1
          selector:
            matchLabels:
              slipway.io/deployment-id: {Id}
              slipway.io/pod: worker
          template:
            metadata:
              labels:
        {Labels("        ", pod: "worker")}    spec:
              imagePullSecrets:
                - name: {Id}-registry
              containers:
                - name: worker
                  image: shop/web:local
        """;

    public static readonly string Job = $"""
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: {Id}-job-migrate
          namespace: {Namespace}
          labels:
        {Labels("    ")}spec:
          backoffLimit: 0
          template:
            metadata:
              labels:
        {Labels("        ")}    spec:
              restartPolicy: Never
              containers:
                - name: migrate
                  image: shop/web:local
        """;
}

/// <summary>A clock that moves only when told to (the backend's delay advances it).</summary>
internal sealed class ManualClock : TimeProvider
{
    public static readonly DateTimeOffset Start = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);

    private DateTimeOffset _now = Start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
