using System.Text;
using Slipway.Infrastructure.Processes;
using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;
using YamlDotNet.RepresentationModel;

namespace Slipway.IntegrationTests.Helm;

/// <summary>
/// deploy create --helm-chart against the real helm (scripts/setup.sh installs it): the chart lints, and helm template
/// prints exactly the objects of D/k8s (the files slipway applies), jobs only when enabled.
/// </summary>
[Collection(SideBySideCollection.Name)]
public sealed class HelmChartTests : IAsyncDisposable
{
    private static readonly SystemProcessRunner Runner = new();
    private readonly Workspace _workspace = new();

    public ValueTask DisposeAsync() => _workspace.DisposeAsync();

    private string WriteStack()
    {
        var root = _workspace.Combine("shop");
        Write("shop/stack.yml", "version: \"1.0\"\nname: shop\npods:\n  - web\n  - worker\njobs:\n  - migrate\n");
        Write("shop/compose/docker-compose-web.yml", """
            services:
              web:
                image: shop/web:1.0.0
                environment:
                  GREETING: ${GREETING}
                  TEMPLATE: "{{ .Values.notHelm }}"
                ports:
                  - "8080:80"
                volumes:
                  - web-data:/data
                  - ../config/web/site.conf:/etc/site.conf:ro
            volumes:
              web-data:
            """);
        Write("shop/compose/docker-compose-worker.yml", "services:\n  worker:\n    image: shop/worker:1.0.0\n    command: [\"sh\", \"-c\", \"echo {{x}}; sleep 1000\"]\n");
        Write("shop/compose-jobs/docker-compose-migrate.yml", "services:\n  migrate:\n    image: shop/web:1.0.0\n    command: [\"sh\", \"-c\", \"echo migrated\"]\n");
        Write("shop/config/web/site.conf", "listen 80;\n# a mustache that must reach the pod verbatim: {{ .Release.Name }} }}\n");
        Write("kubeconfig", "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n");
        Write("spec.yml", """
            stack: ./shop
            deploy-to: k8s
            kube-config: ./kubeconfig
            config:
              GREETING: "hello {{ there }}"
            volumes:
              web-data: /srv/web-data
            network:
              http-proxy:
                - host-name: shop.example.org
                  routes:
                    - path: /
                      proxy-to: web:80
            """);
        return root;
    }

    private void Write(string relative, string text)
    {
        var path = _workspace.Combine(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.EndsWith('\n') ? text : text + "\n");
    }

    private static async Task<string> HelmAsync(params string[] args)
    {
        var result = await Runner.RunAsync(new ProcessSpec("helm", args) { Timeout = TimeSpan.FromMinutes(1) });
        return result.ShouldSucceed().StandardOutput;
    }

    [Fact]
    public async Task The_chart_lints_and_helm_template_prints_the_objects_slipway_applies()
    {
        WriteStack();
        var d = _workspace.Combine("d");
        var create = await SlipwayCommand.RunAsync("deploy", "create", "--spec-file", _workspace.Combine("spec.yml"), "--deployment-dir", d, "--helm-chart");
        Assert.Contains("helm chart:", create.StandardError + create.StandardOutput);

        await HelmAsync("lint", "--strict", Path.Combine(d, "chart"));
        var templated = Canonical(await HelmAsync("template", "shop", Path.Combine(d, "chart")));
        var applied = Canonical(await File.ReadAllTextAsync(Path.Combine(d, "k8s", "manifests.yml")));
        Assert.Equal(applied.Keys.Order(), templated.Keys.Order());
        foreach (var (key, obj) in applied) Assert.Equal(obj, templated[key]);
        Assert.Contains(applied.Keys, k => k.StartsWith("ConfigMap/", StringComparison.Ordinal));
        Assert.DoesNotContain(templated.Keys, k => k.StartsWith("Job/", StringComparison.Ordinal));
        Assert.Contains("{{ .Release.Name }} }}", string.Concat(applied.Values));

        var job = Canonical(await HelmAsync("template", "shop", Path.Combine(d, "chart"), "--set-json", "jobs={\"migrate\":{\"enabled\":true}}", "--show-only", "templates/migrate-job.yaml"));
        var jobFile = Canonical(await File.ReadAllTextAsync(Path.Combine(d, "k8s", "jobs", "migrate.yml")));
        Assert.Equal(jobFile, job);
        Assert.Single(job.Keys, k => k.StartsWith("Job/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_update_renders_the_chart_again_and_sets_the_old_one_aside()
    {
        WriteStack();
        var d = _workspace.Combine("d");
        var spec = _workspace.Combine("spec.yml");
        await SlipwayCommand.RunAsync("deploy", "create", "--spec-file", spec, "--deployment-dir", d, "--helm-chart");
        File.WriteAllText(spec, File.ReadAllText(spec).Replace("hello {{ there }}", "bye", StringComparison.Ordinal));
        // No --helm-chart: D has a chart, so the update keeps it equal to the manifests.
        await SlipwayCommand.RunAsync("deploy", "create", "--spec-file", spec, "--deployment-dir", d, "--update");

        Assert.True(Directory.Exists(Path.Combine(d, "chart.bak")), "the previous chart is kept as chart.bak/");
        Assert.Empty(Directory.GetFiles(Path.Combine(d, "chart"), "*.bak", SearchOption.AllDirectories));
        var templated = Canonical(await HelmAsync("template", "shop", Path.Combine(d, "chart")));
        var applied = Canonical(await File.ReadAllTextAsync(Path.Combine(d, "k8s", "manifests.yml")));
        Assert.Equal(applied, templated);
    }

    [Fact]
    public async Task A_compose_deployment_has_no_helm_chart()
    {
        WriteStack();
        var spec = _workspace.Combine("spec.yml");
        File.WriteAllText(spec, "stack: ./shop\ndeploy-to: compose\nconfig:\n  GREETING: hi\n");
        var result = await SlipwayCommand.RunFailingAsync("deploy", "create", "--spec-file", spec, "--deployment-dir", _workspace.Combine("d"), "--helm-chart");
        Assert.Contains("--helm-chart needs a Kubernetes deployment", result.StandardError);
        Assert.False(Directory.Exists(_workspace.Combine("d")));
    }

    /// <summary>Each object of a YAML stream as "Kind/namespace/name" → its canonical text (keys sorted at every level).</summary>
    private static SortedDictionary<string, string> Canonical(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var objects = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is not YamlMappingNode root) continue;
            var metadata = (YamlMappingNode)root["metadata"];
            var ns = metadata.Children.TryGetValue("namespace", out var n) ? n.ToString() : "";
            objects.Add($"{root["kind"]}/{ns}/{metadata["name"]}", Canonical(root));
        }

        return objects;
    }

    private static string Canonical(YamlNode node) => node switch
    {
        YamlMappingNode m => "{" + string.Join(",", m.Children.OrderBy(c => c.Key.ToString(), StringComparer.Ordinal).Select(c => $"{Canonical(c.Key)}:{Canonical(c.Value)}")) + "}",
        YamlSequenceNode s => "[" + string.Join(",", s.Children.Select(Canonical)) + "]",
        YamlScalarNode v => Scalar(v),
        _ => "?",
    };

    /// <summary>A scalar with its style folded away, but a quoted "1" kept apart from a plain 1.</summary>
    private static string Scalar(YamlScalarNode v)
    {
        var quoted = v.Style is YamlDotNet.Core.ScalarStyle.DoubleQuoted or YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.Literal or YamlDotNet.Core.ScalarStyle.Folded;
        var sb = new StringBuilder(quoted ? "s:" : "p:");
        return sb.Append(System.Text.Json.JsonSerializer.Serialize(v.Value)).ToString();
    }
}
