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
    public void Legacy_laconic_file_without_deployment_id_uses_the_cluster_id_and_says_the_key_was_missing()
    {
        var file = DeploymentFile.Parse("cluster-id: laconic-6f1a2b3c\nstack-source: /home/me/stacks/test\n", "deployment.yml");

        Assert.Equal(new DeploymentFile("laconic-6f1a2b3c", "laconic-6f1a2b3c", "/home/me/stacks/test", null) { DeploymentIdWritten = false }, file);
        Assert.True(file.LooksWrittenByLaconicSo);
    }

    [Theory]
    [InlineData("cluster-id: laconic-abc\nstack-source: /s\n", true)]                              // before deployment-id existed
    [InlineData("cluster-id: kind\nstack-source: /s\n", true)]                                     // a kind cluster's name
    [InlineData("cluster-id: laconic-abc\ndeployment-id: laconic-def\nstack-source: /s\n", true)] // laconic-so today
    [InlineData("cluster-id: slipway-abc\nstack-source: /s\n", false)]                             // Slipway's, deployment-id deleted
    [InlineData("cluster-id: kind\ndeployment-id: slipway-def\nstack-source: /s\n", false)]       // Slipway k8s-kind joining a cluster
    [InlineData("cluster-id: laconic-abc\nstack-source: /s\nspec-source: /spec.yml\n", false)]    // only Slipway writes spec-source
    public void A_file_looks_written_by_laconic_so_only_by_laconic_ids_and_no_slipway_keys(string text, bool laconic)
    {
        Assert.Equal(laconic, DeploymentFile.Parse(text, "deployment.yml").LooksWrittenByLaconicSo);
    }

    [Theory]
    [InlineData("cluster-id: \"laconic-abc\\n\"\nstack-source: /s\n", "cluster-id 'laconic-abc\\n' is not a valid id")]
    [InlineData("cluster-id: Laconic-ABC\nstack-source: /s\n", "cluster-id 'Laconic-ABC' is not a valid id")]
    [InlineData("cluster-id: c\ndeployment-id: \"a b\"\nstack-source: /s\n", "deployment-id 'a b' is not a valid id")]
    [InlineData("cluster-id: c\ndeployment-id: has.dot\nstack-source: /s\n", "deployment-id 'has.dot' is not a valid id")]
    [InlineData("cluster-id: c\ndeployment-id: \"\"\nstack-source: /s\n", "deployment-id '' is not a valid id")]
    public void Ids_are_validated_exactly_at_their_value(string text, string message)
    {
        var error = Assert.Throws<InvalidInputException>(() => DeploymentFile.Parse(text, "/d/deployment.yml"));

        var diagnostic = Assert.Single(error.Diagnostics, d => d.IsError);
        Assert.Contains(message, diagnostic.Message, StringComparison.Ordinal);
        Assert.True(diagnostic.Location!.Column > 1, $"the error points at the value, not the key: {diagnostic.Location}");
    }

    [Fact]
    public void A_kind_cluster_name_with_a_dot_is_a_valid_cluster_id()
    {
        Assert.Equal("kind.local", DeploymentFile.Parse("cluster-id: kind.local\ndeployment-id: slipway-a\nstack-source: /s\n", "d.yml").ClusterId);
    }

    [Fact]
    public void A_laconic_so_file_with_only_a_cluster_id_names_D_itself_as_its_stack()
    {
        var file = DeploymentFile.Parse("cluster-id: laconic-0123456789abcdef\n", "/d/deployment.yml");

        Assert.False(file.StackSourceWritten);
        Assert.Equal("/d", file.StackSource);
        Assert.True(file.LooksWrittenByLaconicSo);
        Assert.DoesNotContain("stack-source", file.Render(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("deployment-id: x\nstack-source: /s\n", "deployment.yml has no 'cluster-id'")]
    [InlineData("cluster-id: slipway-c\n", "deployment.yml has no 'stack-source'")]
    [InlineData("cluster-id: c\nspec-source: /s.yml\n", "deployment.yml has no 'stack-source'")]
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
