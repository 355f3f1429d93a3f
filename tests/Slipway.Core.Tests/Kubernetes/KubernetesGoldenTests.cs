using System.Text;
using Slipway.Core.Kubernetes;
using Slipway.Core.Rendering;
using Slipway.Core.Rendering.Kubernetes;
using Slipway.TestKit;

namespace Slipway.Core.Tests.Kubernetes;

/// <summary>Every fixture stack renders byte for byte as its golden files, and its objects pass the invariant checker.</summary>
public sealed class KubernetesGoldenTests
{
    public static TheoryData<string> Fixtures() => new(KubernetesFixture.Names());

    private static void AssertGolden(string name, string relative, string actual) =>
        Golden.AssertMatchesIn(KubernetesFixture.GoldenRoot(), actual, Path.Combine(name, relative));

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fixture_renders_as_its_golden_manifests_jobs_kind_config_volumes_and_warnings(string name)
    {
        var rendered = KubernetesFixture.Render(name);

        foreach (var file in rendered.Files.Where(f => f.RelativePath.StartsWith("k8s/", StringComparison.Ordinal) || f.RelativePath == KubernetesRenderer.KindConfigFile))
        {
            AssertGolden(name, file.RelativePath, Encoding.UTF8.GetString(file.Content));
        }

        var table = string.Concat(rendered.Volumes.Select(v => v.Describe() + $" [{v.Storage}]\n"));
        AssertGolden(name, "volumes.txt", table);
        AssertGolden(name, "warnings.txt", KubernetesFixture.Describe(rendered.Warnings));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fixture_objects_pass_the_invariant_checker_and_rendering_twice_is_identical(string name)
    {
        var inputs = KubernetesFixture.Inputs(name);
        var first = KubernetesRenderer.Render(Kubernetes(inputs));
        var second = KubernetesRenderer.Render(Kubernetes(inputs));

        Assert.Empty(KubernetesInvariants.Check(first.Objects, first.Jobs.Values.SelectMany(j => j).ToList(), External(inputs)));
        Assert.Equal(first.Files.Select(f => (f.RelativePath, Encoding.UTF8.GetString(f.Content))), second.Files.Select(f => (f.RelativePath, Encoding.UTF8.GetString(f.Content))));
    }

    [Fact]
    public void The_volume_table_says_where_data_lives_and_what_survives_what()
    {
        var rendered = KubernetesFixture.Render("volumes");

        Golden.AssertMatchesIn(KubernetesFixture.GoldenRoot(), string.Join("\n", KubernetesVolumes.Table(rendered.Volumes)) + "\n", Path.Combine("volumes", "table.txt"));
    }

    [Fact]
    public void The_placement_function_gives_plan_the_same_table_as_deploy_create()
    {
        var inputs = KubernetesFixture.Inputs("volumes");
        var rendered = DeploymentRenderer.Render(inputs);

        var placements = KubernetesVolumes.Placements(inputs.Spec, inputs.Bundle.All.SelectMany(f => f.Compose.Volumes), inputs.DeploymentDirectory, inputs.DeploymentId!);

        Assert.Equal(rendered.Volumes.Select(v => v.Describe()), placements.Select(v => v.Describe()));
    }

    [Fact]
    public void There_are_at_least_eight_fixture_stacks()
    {
        Assert.True(KubernetesFixture.Names().Count() >= 8);
    }

    internal static KubernetesInputs Kubernetes(RenderInputs inputs) => new()
    {
        Spec = inputs.Spec,
        Bundle = inputs.Bundle,
        DeploymentId = inputs.DeploymentId!,
        DeploymentDirectory = inputs.DeploymentDirectory,
        Config = inputs.Spec.Config.Select(c => new KeyValuePair<string, string>(c.Key, c.Value)).ToList(),
        KubeConfig = inputs.KubeConfig,
        HostFiles = inputs.HostFiles,
        ConfigHashKey = inputs.ConfigHashKey!,
    };

    internal static HashSet<string> External(RenderInputs inputs)
    {
        var set = inputs.Spec.Kubernetes.Secrets.Select(s => s.Name).ToHashSet();
        set.Add(KubernetesRenderer.RegistrySecretName(inputs.DeploymentId!));
        foreach (var host in inputs.Spec.Kubernetes.HttpProxy) set.Add(KubeNames.Label($"{inputs.DeploymentId}-{host.HostName}-tls", 253));
        return set;
    }
}
