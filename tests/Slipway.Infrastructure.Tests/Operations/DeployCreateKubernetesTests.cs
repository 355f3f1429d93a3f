using System.Runtime.Versioning;
using Slipway.Core.Diagnostics;
using Slipway.Core.Rendering.Kubernetes;
using Slipway.Infrastructure.Backends.Kubernetes;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Operations;
using Slipway.Infrastructure.Tools;
using Slipway.Infrastructure.Tests.Support;

namespace Slipway.Infrastructure.Tests.Operations;

/// <summary>deploy create for k8s and k8s-kind: the Kubernetes files land in D next to the compose ones.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class DeployCreateKubernetesTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();
    private readonly FakeProcessRunner _runner = new();

    public void Dispose() => _workspace.Dispose();

    private string D => _workspace.Combine("deployment");

    private Task<CreateResult> CreateAsync(bool update = false, Func<int, byte[]>? secretBytes = null) =>
        new DeployCreate(SampleStack.Environment(_workspace, _runner) with { SecretBytes = secretBytes }).RunAsync(new CreateRequest
        {
            SpecFile = "spec.yml",
            DeploymentDirectory = "deployment",
            Update = update,
        }, CancellationToken.None);

    private string KeyFile => Path.Combine(D, ".slipway", "config-hash-key");

    private static byte[] Counting(int n) => Enumerable.Range(0, n).Select(i => (byte)(0x40 + i)).ToArray();

    private string PodHashes() => string.Join("\n", File.ReadAllLines(Path.Combine(D, KubernetesRenderer.ManifestsFile)).Where(l => l.Contains("slipway.io/config-hash", StringComparison.Ordinal)));

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
    public async Task Create_stores_the_config_hash_key_owner_only_in_the_state_folder_and_in_no_rendered_file()
    {
        SampleStack.Write(_workspace, Spec("k8s-kind"));

        await CreateAsync(secretBytes: Counting);

        Assert.Equal(Counting(32), File.ReadAllBytes(KeyFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
        var key = Convert.ToHexStringLower(Counting(32));
        foreach (var file in Directory.EnumerateFiles(D, "*", SearchOption.AllDirectories).Where(f => f != KeyFile))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain(System.Text.Encoding.ASCII.GetString(Counting(32)), text, StringComparison.Ordinal);
            Assert.DoesNotContain(key, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_fresh_create_draws_a_random_key_when_no_secret_bytes_are_pinned()
    {
        SampleStack.Write(_workspace, Spec("k8s-kind"));

        await CreateAsync();

        var key = File.ReadAllBytes(KeyFile);
        Assert.Equal(32, key.Length);
        Assert.NotEqual(new byte[32], key);
    }

    [Fact]
    public async Task An_update_reads_the_stored_key_so_unchanged_config_keeps_every_pod_hash()
    {
        SampleStack.Write(_workspace, Spec("k8s-kind"));
        await CreateAsync();
        var key = File.ReadAllBytes(KeyFile);
        var hashes = PodHashes();

        var second = await CreateAsync(update: true, secretBytes: Counting);

        Assert.Equal(key, File.ReadAllBytes(KeyFile));
        Assert.Equal(hashes, PodHashes());
        Assert.Contains(KubernetesRenderer.ManifestsFile, second.Update!.Unchanged);
    }

    [Fact]
    public async Task An_update_of_a_directory_made_before_the_key_existed_writes_one_then()
    {
        SampleStack.Write(_workspace, Spec("k8s-kind"));
        await CreateAsync();
        File.Delete(KeyFile);

        await CreateAsync(update: true, secretBytes: Counting);

        Assert.Equal(Counting(32), File.ReadAllBytes(KeyFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
        var third = await CreateAsync(update: true);
        Assert.Contains(KubernetesRenderer.ManifestsFile, third.Update!.Unchanged);
    }

    [Fact]
    public async Task A_damaged_key_is_refused_with_what_to_do()
    {
        SampleStack.Write(_workspace, Spec("k8s-kind"));
        await CreateAsync();
        File.WriteAllBytes(KeyFile, [1, 2, 3]);

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => CreateAsync(update: true));

        Assert.Contains("config-hash-key is damaged", ex.Message);
        Assert.Contains("delete it", ex.Hint);
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

    private const string ConfigCompose = """
        services:
          web:
            image: shop/web:local
            volumes:
              - test-config:/etc/test:ro
        volumes:
          test-config:
        """;

    /// <summary>The stack has no config/test-config: laconic-so's k8s test stack as its users run it (init, then create).</summary>
    private async Task<(CreateResult Result, string Id)> InitAndCreateWithConfigVolumeAsync()
    {
        SampleStack.Write(_workspace);
        _workspace.WriteFile("stack/compose/docker-compose-web.yml", ConfigCompose + "\n");
        File.Delete(_workspace.Combine("spec.yml"));
        await new DeployInit(SampleStack.Environment(_workspace, _runner)).RunAsync(new InitRequest { StackArgument = "./stack", Output = "spec.yml", DeployTo = Core.Specs.DeployTarget.K8sKind }, CancellationToken.None);
        Assert.Contains("./configmaps/test-config", _workspace.ReadFile("spec.yml"));
        var result = await CreateAsync();
        return (result, result.Deployment.DeploymentId);
    }

    private ApplyBatch BatchOf(string d) =>
        new KubernetesApply(new KubernetesTarget(DeploymentSession.Open(d), ToolPaths.Default.With(_runner), new KubernetesBackendOptions()))
            .Batch(KubernetesManifests.Load(Path.Combine(d, KubernetesRenderer.ManifestsFile)), null, new HashSet<string>(), new Dictionary<string, string>());

    private static string DigestOf(ApplyBatch batch) =>
        batch.Objects.Single(o => o.Kind == "Deployment" && o.Name.EndsWith("-web", StringComparison.Ordinal)).Node.Child("spec")!.Child("template")!.Child("metadata")!.Child("annotations")!.Scalar("slipway.io/configmap-digest")!;

    [Fact]
    public async Task Deploy_inits_configmap_for_a_stack_without_its_config_folder_is_created_empty_and_said_so()
    {
        var (result, id) = await InitAndCreateWithConfigVolumeAsync();

        Assert.True(Directory.Exists(Path.Combine(D, "configmaps", "test-config")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(D, "configmaps", "test-config")));
        var warning = Assert.Single(result.Warnings, w => w.Message.Contains("configmap 'test-config'", StringComparison.Ordinal));
        Assert.Contains("created empty", warning.Message);
        var manifests = File.ReadAllText(Path.Combine(D, KubernetesRenderer.ManifestsFile));
        Assert.Contains($"name: {id}-test-config\n", manifests);
        Assert.Contains("slipway.io/configmap-folder: configmaps/test-config\n", manifests);
    }

    [Fact]
    public async Task The_configmap_is_made_from_D_configmaps_as_it_is_at_start_and_a_changed_file_changes_the_pods_digest()
    {
        var (_, id) = await InitAndCreateWithConfigVolumeAsync();
        var empty = DigestOf(BatchOf(D));
        _workspace.WriteFile("deployment/configmaps/test-config/app.conf", "level: debug\n");
        await CreateAsync(update: true);

        var batch = BatchOf(D);
        var cm = batch.Objects.Single(o => o.Kind == "ConfigMap" && o.Name == $"{id}-test-config");
        Assert.Equal("level: debug\n", cm.Node.Child("data")!.Scalar("app.conf"));
        Assert.Contains("app.conf: \"level: debug\\n\"", batch.Yaml);
        var withFile = DigestOf(batch);
        Assert.NotEqual(empty, withFile);
        Assert.Equal(withFile, DigestOf(BatchOf(D)));

        _workspace.WriteFile("deployment/configmaps/test-config/app.conf", "level: info\n");
        Assert.NotEqual(withFile, DigestOf(BatchOf(D)));
    }

    [Fact]
    public async Task A_configmap_folder_removed_from_D_stops_the_start_saying_which_folder()
    {
        await InitAndCreateWithConfigVolumeAsync();
        Directory.Delete(Path.Combine(D, "configmaps", "test-config"));

        var error = Assert.Throws<SlipwayException>(() => BatchOf(D));

        Assert.Contains(Path.Combine(D, "configmaps", "test-config") + " does not exist", error.Message);
    }
}
