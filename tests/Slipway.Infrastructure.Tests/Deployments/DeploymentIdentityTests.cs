using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Deployments;

namespace Slipway.Infrastructure.Tests.Deployments;

public sealed class DeploymentIdentityTests : IDisposable
{
    private readonly TempWorkspace _ws = new();

    public void Dispose() => _ws.Dispose();

    private DeploymentLayout Layout(string deploymentYml, bool slipwayState = false)
    {
        _ws.WriteFile("d/deployment.yml", deploymentYml);
        if (slipwayState) Directory.CreateDirectory(_ws.Combine("d", ".slipway", "logs"));
        return new DeploymentLayout(_ws.Combine("d"));
    }

    [Fact]
    public void A_slipway_directory_is_the_project_named_after_its_deployment_id()
    {
        var identity = DeploymentIdentity.Read(Layout("cluster-id: slipway-c\ndeployment-id: slipway-d\nstack-source: /s\n", slipwayState: true));

        Assert.Equal("slipway-d", identity.ComposeProject);
        Assert.False(identity.AdoptedFromLaconicSo);
        Assert.Null(identity.AdoptionNote);
    }

    [Fact]
    public void A_laconic_so_directory_with_only_a_cluster_id_is_adopted_once_keeping_the_cluster_id_project_and_saying_so()
    {
        var layout = Layout("cluster-id: laconic-6f1a2b3c\nstack-source: /s\n");

        var first = DeploymentIdentity.Read(layout);

        Assert.Equal("laconic-6f1a2b3c", first.ComposeProject);
        Assert.True(first.AdoptedFromLaconicSo);
        Assert.Contains("adopted the laconic-so deployment", first.AdoptionNote, StringComparison.Ordinal);
        Assert.Contains("compose project stays laconic-6f1a2b3c", first.AdoptionNote, StringComparison.Ordinal);
        Assert.Equal("cluster-id: laconic-6f1a2b3c\nstack-source: /s\n", File.ReadAllText(layout.DeploymentFile));
        Assert.Contains("compose-project: laconic-6f1a2b3c", File.ReadAllText(DeploymentIdentity.AdoptionRecord(layout)), StringComparison.Ordinal);

        // Once Slipway has state in D the record is what keeps it adopted; the note is said only the first time.
        Directory.CreateDirectory(layout.Logs);
        var again = DeploymentIdentity.Read(layout);
        Assert.Equal("laconic-6f1a2b3c", again.ComposeProject);
        Assert.Null(again.AdoptionNote);
    }

    [Fact]
    public void A_laconic_so_directory_with_both_ids_keeps_laconic_sos_project_name_which_is_the_cluster_id()
    {
        var identity = DeploymentIdentity.Read(Layout("cluster-id: laconic-aaa\ndeployment-id: laconic-bbb\nstack-source: /s\n"));

        Assert.Equal("laconic-aaa", identity.ComposeProject);
        Assert.Equal("laconic-bbb", identity.File.DeploymentId);
    }

    [Theory]
    [InlineData("cluster-id: slipway-c\nstack-source: /s\n", false)]   // a Slipway id
    [InlineData("cluster-id: laconic-c\nstack-source: /s\n", true)]    // Slipway's state in D, never adopted
    [InlineData("cluster-id: kind\nstack-source: /s\nspec-source: /x.yml\n", false)]
    public void A_file_without_deployment_id_that_laconic_so_did_not_write_is_refused_instead_of_starting_a_second_project(string text, bool slipwayState)
    {
        var error = Assert.Throws<SlipwayException>(() => DeploymentIdentity.Read(Layout(text, slipwayState)));

        Assert.Equal(FailureReason.InvalidInput, error.Reason);
        Assert.Contains("has no deployment-id", error.Message, StringComparison.Ordinal);
        Assert.Contains("second, empty project", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_laconic_cluster_id_that_cannot_name_a_compose_project_is_refused()
    {
        var error = Assert.Throws<SlipwayException>(() => DeploymentIdentity.Read(Layout("cluster-id: kind.local\nstack-source: /s\n")));

        Assert.Contains("cannot be a compose project name", error.Message, StringComparison.Ordinal);
    }
}
