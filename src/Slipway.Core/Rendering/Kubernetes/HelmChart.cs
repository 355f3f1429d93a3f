using System.Text;
using System.Text.Json.Nodes;
using Slipway.Core.Deployments;
using Slipway.Core.Kubernetes;

namespace Slipway.Core.Rendering.Kubernetes;

/// <summary>
/// <c>deploy create --helm-chart</c>: D/chart, a Helm chart made from the very objects Slipway applies (one template per
/// object, the text of the manifests with template delimiters escaped), so <c>helm template</c> prints the same objects
/// with the same fields. Each job is one template, rendered only with <c>jobs.&lt;name&gt;.enabled</c>.
/// </summary>
public static class HelmChart
{
    public const string Folder = "chart";

    public const string TemplatesFolder = Folder + "/templates";

    /// <summary>The template of a job; <c>run-job --helm-release</c> renders it with <c>--show-only</c>.</summary>
    public static string JobTemplate(string job) => $"templates/{job}-job.yaml";

    /// <summary>The chart's name: the stack's and the deployment-id's, a valid chart name.</summary>
    public static string ChartName(string stackName, string deploymentId) =>
        KubeNames.Label(stackName + "-" + (deploymentId.StartsWith("slipway-", StringComparison.Ordinal) ? deploymentId["slipway-".Length..] : deploymentId));

    public static IReadOnlyList<RenderedFile> Render(KubernetesRendering rendering, string stackName, string deploymentId)
    {
        var name = ChartName(stackName, deploymentId);
        var files = new List<RenderedFile>
        {
            RenderedFile.Text($"{Folder}/Chart.yaml", ChartYaml(name, stackName, deploymentId)),
            RenderedFile.Text($"{Folder}/values.yaml", ValuesYaml(rendering.Jobs.Keys)),
            RenderedFile.Text($"{Folder}/README.md", Readme(name, deploymentId, rendering.Jobs.Keys)),
        };

        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var obj in rendering.Objects)
        {
            var file = TemplateName(obj, used);
            files.Add(RenderedFile.Text($"{Folder}/{file}", Escape(KubeYaml.Stream([obj])), secret: true));
        }

        foreach (var (job, objects) in rendering.Jobs)
        {
            // The same guard laconic-so's charts use, so existing --set jobs.X.enabled=true calls keep working.
            var text = $"{{{{- if (index (.Values.jobs | default dict) {GoString(job)} | default dict).enabled | default false }}}}\n"
                + Escape(KubeYaml.Stream(objects))
                + "{{- end }}\n";
            files.Add(RenderedFile.Text($"{Folder}/{JobTemplate(job)}", text, secret: true));
        }

        return files;
    }

    private static string GoString(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>Text Helm must print as it is: every <c>{{</c> becomes an action that prints <c>{{</c>.</summary>
    public static string Escape(string text) => text.Replace("{{", "{{ \"{{\" }}", StringComparison.Ordinal);

    /// <summary><c>templates/&lt;name&gt;-&lt;kind&gt;.yaml</c>; a name clash (two kinds' names folding alike) gets a number.</summary>
    private static string TemplateName(JsonObject obj, HashSet<string> used)
    {
        var kind = ((string?)obj["kind"] ?? "object").ToLowerInvariant();
        var stem = KubeNames.Label($"{RenderContext.Name(obj)}-{kind}", 200);
        var file = $"templates/{stem}.yaml";
        for (var n = 2; !used.Add(file); n++) file = $"templates/{stem}-{n}.yaml";
        return file;
    }

    private static string ChartYaml(string name, string stackName, string deploymentId) => $"""
        apiVersion: v2
        name: {name}
        description: {KubeYaml.Scalar($"Stack {stackName}, deployment {deploymentId}: the objects slipway applies, rendered by slipway deploy create --helm-chart")}
        type: application
        version: 0.1.0
        appVersion: {KubeYaml.Scalar(deploymentId)}
        keywords:
          - slipway
          - {KubeYaml.Scalar(stackName)}

        """;

    private static string ValuesYaml(IEnumerable<string> jobs)
    {
        var sb = new StringBuilder("# Jobs are not part of an install; enable one with --set jobs.NAME.enabled=true\n# (slipway deployment --dir D run-job NAME --helm-release R does so for one run).\n");
        var names = jobs.ToList();
        if (names.Count == 0) return sb.Append("jobs: {}\n").ToString();
        sb.Append("jobs:\n");
        foreach (var job in names) sb.Append("  ").Append(KubeYaml.Scalar(job)).Append(":\n    enabled: false\n");
        return sb.ToString();
    }

    private static string Readme(string name, string deploymentId, IEnumerable<string> jobs)
    {
        var list = jobs.ToList();
        return $"""
            # {name}

            Written by `slipway deploy create --helm-chart` for deployment `{deploymentId}`: one template per object that
            `slipway deployment --dir D start` applies, so `helm template` prints the same objects. It is rendered again by
            every `deploy create --update` (the previous chart is kept as `chart.bak/`): change the spec or the stack, not
            the templates.

                helm install {name} ./chart
                helm template {name} ./chart --set jobs.JOB.enabled=true --show-only templates/JOB-job.yaml

            Jobs: {(list.Count == 0 ? "none" : string.Join(", ", list))}. Each is off unless `jobs.<name>.enabled` is true.

            """;
    }
}
