using System.Text;
using Slipway.Core.Deployments;
using Slipway.Core.Rendering;
using Slipway.Core.Rendering.Kubernetes;

namespace Slipway.Core.Tests.Kubernetes;

/// <summary>D/chart is the manifests slipway applies, one template per object; helm itself is run by the integration tests.</summary>
public sealed class HelmChartTests
{
    public static TheoryData<string> Fixtures() => [.. KubernetesFixture.Names()];

    private static RenderedDeployment RenderWithChart(string name) =>
        DeploymentRenderer.Render(KubernetesFixture.Inputs(name) with { HelmChart = true });

    private static string Text(RenderedDeployment rendered, string path) => KubernetesFixture.Text(rendered, path);

    /// <summary>What helm prints for a template without values: the escapes undone, a job's guard dropped.</summary>
    private static string Unescaped(string template) => template.Replace("{{ \"{{\" }}", "{{", StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Every_object_of_the_manifests_is_one_template_of_the_chart(string fixture)
    {
        var rendered = RenderWithChart(fixture);
        var templates = rendered.Files.Where(f => f.RelativePath.StartsWith(HelmChart.TemplatesFolder + "/", StringComparison.Ordinal) && !f.RelativePath.EndsWith("-job.yaml", StringComparison.Ordinal))
            .Select(f => Unescaped(Encoding.UTF8.GetString(f.Content))).ToList();
        var manifests = Text(rendered, KubernetesRenderer.ManifestsFile);
        Assert.Equal(manifests.Split("---\n", StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal), templates.Select(t => t[4..]).Order(StringComparer.Ordinal));
        Assert.All(rendered.Files.Where(f => f.RelativePath.StartsWith(HelmChart.TemplatesFolder, StringComparison.Ordinal)), f => Assert.True(f.Secret, $"{f.RelativePath} may hold config values: owner-only"));
    }

    [Fact]
    public void A_job_is_rendered_only_when_its_value_enables_it()
    {
        var rendered = RenderWithChart("jobs");
        var jobs = rendered.Files.Where(f => f.RelativePath.StartsWith(KubernetesRenderer.JobsFolder + "/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(jobs);
        var values = Text(rendered, "chart/values.yaml");
        foreach (var jobFile in jobs)
        {
            var job = Path.GetFileNameWithoutExtension(jobFile.RelativePath);
            var template = Text(rendered, $"chart/{HelmChart.JobTemplate(job)}");
            Assert.StartsWith($"{{{{- if (index (.Values.jobs | default dict) \"{job}\" | default dict).enabled | default false }}}}\n", template, StringComparison.Ordinal);
            Assert.EndsWith("{{- end }}\n", template, StringComparison.Ordinal);
            Assert.Contains(Encoding.UTF8.GetString(jobFile.Content), Unescaped(template), StringComparison.Ordinal);
            Assert.Contains($"  {job}:\n    enabled: false\n", values, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Template_delimiters_in_the_objects_are_printed_not_run()
    {
        Assert.Equal("a: \"{{ \"{{\" }} .Values.x }}\"\n", HelmChart.Escape("a: \"{{ .Values.x }}\"\n"));
        Assert.Equal("}} stays", HelmChart.Escape("}} stays"));
    }

    [Fact]
    public void The_chart_is_named_after_the_stack_and_the_deployment()
    {
        var rendered = RenderWithChart("single-pod");
        Assert.Contains("\nname: ", Text(rendered, "chart/Chart.yaml"), StringComparison.Ordinal);
        Assert.Equal("my-stack-test00001", HelmChart.ChartName("My_Stack", KubernetesFixture.DeploymentId));
    }

    [Fact]
    public void Without_the_flag_there_is_no_chart()
    {
        var rendered = KubernetesFixture.Render("single-pod");
        Assert.DoesNotContain(rendered.Files, f => f.RelativePath.StartsWith(HelmChart.Folder + "/", StringComparison.Ordinal));
    }
}
