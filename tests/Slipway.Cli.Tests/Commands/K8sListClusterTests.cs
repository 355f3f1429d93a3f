namespace Slipway.Cli.Tests.Commands;

/// <summary>deploy k8s list cluster: the first kind cluster, laconic-so's words when there is none; no --stack needed.</summary>
public sealed class K8sListClusterTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task It_prints_the_first_kind_cluster()
    {
        _cli.Runner.On("kind", "get", "clusters").Returns(0, "slipway-one\nslipway-two\n");

        var run = await _cli.RunAsync("deploy", "k8s", "list", "cluster");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("slipway-one\n", run.Out);
        Assert.Contains("2 kind clusters run", run.Err);
    }

    [Fact]
    public async Task Without_a_cluster_it_says_no_cluster_found()
    {
        _cli.Runner.On("kind", "get", "clusters").Returns(0, "", "No kind clusters found.\n");

        var run = await _cli.RunAsync("deploy", "k8s", "list", "cluster");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("No cluster found\n", run.Out);
    }

    [Fact]
    public async Task Without_kind_installed_it_says_no_cluster_found_and_why()
    {
        _cli.Runner.On("kind", "get", "clusters").Throws(new Slipway.Infrastructure.Processes.ToolNotFoundException("kind"));

        var run = await _cli.RunAsync("deploy", "k8s", "list", "cluster");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("No cluster found\n", run.Out);
        Assert.Contains("'kind' could not be started", run.Err);
    }
}
