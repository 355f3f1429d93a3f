using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;

namespace Slipway.Core.Tests.Deployments;

public sealed class DeploymentFileTests
{
    [Fact]
    public void Render_writes_every_field_with_paths_quoted()
    {
        var file = new DeploymentFile("laconic-abc", "slipway-xyz", "/ops/stacks/test", "/ops/spec.yml");

        Assert.Equal(
            "cluster-id: laconic-abc\ndeployment-id: slipway-xyz\nstack-source: \"/ops/stacks/test\"\nspec-source: \"/ops/spec.yml\"\n",
            file.Render());
    }

    [Theory]
    [InlineData("/ops/spec.yml")]
    [InlineData(null)]
    public void Render_then_parse_gives_the_same_file(string? specSource)
    {
        var file = new DeploymentFile("laconic-abc", "slipway-xyz", "/ops/stacks/my stack: \"odd\" #name", specSource);

        Assert.Equal(file, DeploymentFile.Parse(file.Render(), "deployment.yml"));
    }

    [Fact]
    public void Without_a_spec_source_the_key_is_omitted()
    {
        Assert.DoesNotContain("spec-source", new DeploymentFile("c", "d", "/s", null).Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void Legacy_laconic_file_without_deployment_id_uses_the_cluster_id()
    {
        var file = DeploymentFile.Parse("cluster-id: laconic-6f1a2b3c\nstack-source: /home/me/stacks/test\n", "deployment.yml");

        Assert.Equal(new DeploymentFile("laconic-6f1a2b3c", "laconic-6f1a2b3c", "/home/me/stacks/test", null), file);
    }

    [Theory]
    [InlineData("deployment-id: x\nstack-source: /s\n", "deployment.yml has no 'cluster-id'")]
    [InlineData("cluster-id: c\n", "deployment.yml has no 'stack-source'")]
    [InlineData("cluster-id: c\nstack-source: /s\nclusterid: x\n", "unknown key 'clusterid' in deployment.yml")]
    [InlineData("- cluster-id\n", "deployment.yml must be a mapping (cluster-id, deployment-id, stack-source)")]
    [InlineData("", "deployment.yml must be a mapping (cluster-id, deployment-id, stack-source)")]
    [InlineData("cluster-id: [c\n", "invalid YAML")]
    public void Broken_files_are_invalid_input_naming_the_problem(string text, string message)
    {
        var error = Assert.Throws<InvalidInputException>(() => DeploymentFile.Parse(text, "/d/deployment.yml"));

        Assert.Contains(error.Diagnostics, d => d.IsError && d.Message.Contains(message, StringComparison.Ordinal) && d.Location!.File == "/d/deployment.yml");
    }
}
