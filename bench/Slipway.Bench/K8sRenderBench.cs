// Kubernetes render benchmark: spec + stack → manifests for a generated 200-service stack, in process (target < 1 s).
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Rendering;
using Slipway.Core.Rendering.Kubernetes;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Files;

namespace Slipway.Bench;

internal static class K8sRenderBench
{
    /// <summary>Parses spec and stack and renders them for k8s-kind <paramref name="runs"/> times (after one warm-up); prints the figures.</summary>
    public static void Run(Bench bench, int pods = 20, int servicesPerPod = 10, int runs = 5)
    {
        var root = Directory.CreateTempSubdirectory("slipway-bench-k8s-").FullName;
        try
        {
            var specPath = Generate(root, pods, servicesPerPod);
            var samples = new List<double>();
            var objects = 0;
            for (var i = -1; i < runs; i++)
            {
                var clock = Stopwatch.StartNew();
                var rendered = Render(specPath, root);
                clock.Stop();
                objects = KubernetesInvariantsCount(rendered);
                if (i >= 0) samples.Add(clock.Elapsed.TotalMilliseconds);
            }

            var row = new Row("k8s render", $"k8s render ({pods * servicesPerPod} services, {objects} objects)", samples, Note: "in process: parse + render + invariant check");
            System.Console.WriteLine($"[k8s] render {pods * servicesPerPod} services for k8s-kind, N={runs}: median {Stats.Ms(row.Median)} ms");
            bench.Add(row);
            bench.Target("k8s render of 200 services < 1000 ms", row.Median, row.Median < 1000);
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    private static int KubernetesInvariantsCount(RenderedDeployment rendered) =>
        Encoding.UTF8.GetString(rendered.Files.Single(f => f.RelativePath == KubernetesRenderer.ManifestsFile).Content).Split("---\n").Length - 1;

    private static RenderedDeployment Render(string specPath, string root)
    {
        var diagnostics = new DiagnosticBag();
        var specBytes = File.ReadAllBytes(specPath);
        var spec = SpecParser.Parse(Encoding.UTF8.GetString(specBytes), specPath, diagnostics);
        var stack = Stack.Load(Path.Combine(root, "stack"), new DiskHostFiles(), diagnostics);
        var bundle = StackBundle.Load(stack, Path.Combine(root, "repos"), DeploymentRenderer.ConfigLookup(spec, []), diagnostics);
        diagnostics.ThrowIfErrors();
        return DeploymentRenderer.Render(new RenderInputs
        {
            Spec = spec,
            SpecBytes = specBytes,
            Bundle = bundle,
            StackBytes = File.ReadAllBytes(stack.Definition.FilePath),
            DeploymentDirectory = Path.Combine(root, "deployment"),
            DeploymentId = "slipway-bench0001",
            HostFiles = new DiskHostFiles(),
            ConfigHashKey = new byte[32],
        });
    }

    /// <summary>Pods of services with ports, environment from config, a bound config file and a volume each; http-proxy to every pod.</summary>
    private static string Generate(string root, int pods, int servicesPerPod)
    {
        var dir = Path.Combine(root, "stack");
        Directory.CreateDirectory(Path.Combine(dir, "compose"));
        var stackYml = new StringBuilder("version: \"1.0\"\nname: bench\npods:\n");
        var spec = new StringBuilder("stack: ./stack\ndeploy-to: k8s-kind\nconfig:\n  BENCH_MODE: bench\n  DB_PASSWORD: secret\nvolumes:\n");
        var proxy = new StringBuilder("network:\n  http-proxy:\n");
        for (var p = 0; p < pods; p++)
        {
            var pod = $"pod-{p:00}";
            stackYml.Append(CultureInfo.InvariantCulture, $"  - {pod}\n");
            Directory.CreateDirectory(Path.Combine(dir, "config", pod));
            File.WriteAllText(Path.Combine(dir, "config", pod, "app.conf"), $"# config of {pod}\nlisten=80\n");
            var compose = new StringBuilder("services:\n");
            for (var s = 0; s < servicesPerPod; s++)
            {
                compose.Append(CultureInfo.InvariantCulture, $"""
                      {pod}-svc-{s:00}:
                        image: slipway/hello:1.0.{s}
                        environment:
                          MODE: ${"{"}BENCH_MODE{"}"}
                          PASSWORD: ${"{"}DB_PASSWORD{"}"}
                          INDEX: "{s}"
                        ports:
                          - "{8000 + s}"
                        volumes:
                          - ../config/{pod}/app.conf:/etc/app.conf:ro
                          - {pod}-data:/data

                    """);
            }

            compose.Append(CultureInfo.InvariantCulture, $"volumes:\n  {pod}-data:\n");
            File.WriteAllText(Path.Combine(dir, "compose", $"docker-compose-{pod}.yml"), compose.ToString());
            spec.Append(CultureInfo.InvariantCulture, $"  {pod}-data: ./data/{pod}\n");
            proxy.Append(CultureInfo.InvariantCulture, $"    - host-name: {pod}.bench.example\n      routes:\n        - path: /\n          proxy-to: {pod}-svc-00:8000\n");
        }

        File.WriteAllText(Path.Combine(dir, "stack.yml"), stackYml.ToString());
        var specPath = Path.Combine(root, "spec.yml");
        File.WriteAllText(specPath, spec.ToString() + proxy);
        return specPath;
    }
}
