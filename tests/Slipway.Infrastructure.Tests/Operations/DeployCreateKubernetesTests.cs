using System.Runtime.Versioning;
using Slipway.Core.Diagnostics;
using Slipway.Core.Kubernetes;
using Slipway.Core.Rendering.Kubernetes;
using Slipway.Infrastructure.Operations;
using Slipway.Infrastructure.Tests.Support;
using Slipway.TestKit;

namespace Slipway.Infrastructure.Tests.Operations;

/// <summary>deploy create for k8s and k8s-kind: the Kubernetes files land in D next to the compose ones.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class DeployCreateKubernetesTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();
    private readonly FakeProcessRunner _runner = new();

    public void Dispose() => _workspace.Dispose();

    private string D => _workspace.Combine("deployment");

    private Task<CreateResult> CreateAsync(bool update = false) =>
        new DeployCreate(SampleStack.Environment(_workspace, _runner)).RunAsync(new CreateRequest
        {
            SpecFile = "spec.yml",
            DeploymentDirectory = "deployment",
            Update = update,
        }, CancellationToken.None);

    private static string Spec(string target, string extra = "") =>
        SampleStack.Spec.Replace("deploy-to: compose", $"deploy-to: {target}{extra}");

    [Fact]
    public async Task A_kind_deployment_gets_manifests_job_files_kind_config_and_a_volume_table()
    {
        SampleStack.Write(_workspace, Spec("k8s-kind"));

        var result = await CreateAsync();

        var id = result.Deployment.DeploymentId;
        var manifests = File.ReadAllText(Path.Combine(D, KubernetesRenderer.ManifestsFile));
        Assert.StartsWith("---\napiVersion: v1\nkind: Namespace\n", manifests);
        Assert.Contains($"name: {id}-web\n", manifests);
        Assert.Contains($"slipway.io/owner: {D}", manifests);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(D, KubernetesRenderer.ManifestsFile)));
        Assert.Contains($"name: {id}-job-migrate", File.ReadAllText(Path.Combine(D, KubernetesRenderer.JobFile("migrate"))));
        Assert.Contains($"hostPath: {Path.Combine(D, "data", "web-data")}", File.ReadAllText(Path.Combine(D, KubernetesRenderer.KindConfigFile)));
        Assert.True(Directory.Exists(Path.Combine(D, "data", "web-data")));
        var volume = Assert.Single(result.Rendered.Volumes);
        Assert.Equal($"/slipway/{id}/web-data", volume.NodePath);
        Assert.Equal("yes", volume.SurvivesClusterDeletion);
    }

    [Fact]
    public async Task A_k8s_deployment_copies_the_kube_config_owner_only_and_needs_absolute_volume_paths()
    {
        _workspace.WriteFile("cluster.yaml", "apiVersion: v1\nkind: Config\n");
        SampleStack.Write(_workspace, Spec("k8s", "\nkube-config: ./cluster.yaml").Replace("./data/web-data", "/srv/web-data"));

        await CreateAsync();

        var kubeconfig = Path.Combine(D, KubernetesRenderer.KubeConfigFile);
        Assert.Equal("apiVersion: v1\nkind: Config\n", File.ReadAllText(kubeconfig));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(kubeconfig));
        Assert.False(File.Exists(Path.Combine(D, KubernetesRenderer.KindConfigFile)));
        Assert.Contains("path: /srv/web-data", File.ReadAllText(Path.Combine(D, KubernetesRenderer.ManifestsFile)));
    }

    [Fact]
    public async Task A_missing_kube_config_file_is_an_error_at_its_line_and_nothing_is_created()
    {
        SampleStack.Write(_workspace, Spec("k8s", "\nkube-config: ./nope.yaml"));

        var ex = await Assert.ThrowsAsync<InvalidInputException>(() => CreateAsync());

        var error = Assert.Single(ex.Diagnostics);
        Assert.Contains("nope.yaml does not exist", error.Message);
        Assert.Equal(3, error.Location!.Line);
        Assert.False(Directory.Exists(D));
    }

    [Fact]
    public async Task A_relative_volume_on_k8s_is_refused_and_nothing_is_created()
    {
        _workspace.WriteFile("cluster.yaml", "apiVersion: v1\n");
        SampleStack.Write(_workspace, Spec("k8s", "\nkube-config: ./cluster.yaml"));

        var ex = await Assert.ThrowsAsync<InvalidInputException>(() => CreateAsync());

        Assert.Contains(ex.Diagnostics, d => d.Message.Contains("relative path './data/web-data' is not supported for deploy-to k8s"));
        Assert.False(Directory.Exists(D));
    }

    [Fact]
    public async Task An_update_keeps_the_deployment_id_in_every_object_name()
    {
        SampleStack.Write(_workspace, Spec("k8s-kind"));
        var first = await CreateAsync();
        SampleStack.Write(_workspace, Spec("k8s-kind").Replace("GREETING: hello", "GREETING: bonjour"));

        var second = await CreateAsync(update: true);

        Assert.Equal(first.Deployment.DeploymentId, second.Deployment.DeploymentId);
        Assert.Contains(KubernetesRenderer.ManifestsFile, second.Update!.Changed);
        Assert.True(File.Exists(Path.Combine(D, KubernetesRenderer.ManifestsFile + ".bak")));
    }
}
