using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Backends.Kubernetes;

namespace Slipway.Infrastructure.Tests.Backends.Kubernetes;

public sealed class KubernetesManifestsTests
{
    [Fact]
    public void Objects_are_read_with_kind_name_namespace_and_the_kubectl_resource_name()
    {
        var objects = KubernetesManifests.Parse(KubernetesSample.Manifests("/srv/d") + "\n---\n" + KubernetesSample.Job, "m.yml");

        Assert.Equal(
        [
            "namespace/shop-ns", $"configmap/{KubernetesSample.Id}-config", $"persistentvolumeclaim/{KubernetesSample.Id}-web-data",
            $"service/{KubernetesSample.Id}-nodeport-web-8080-tcp", $"deployment.apps/{KubernetesSample.Id}-web", $"deployment.apps/{KubernetesSample.Id}-worker",
            $"job.batch/{KubernetesSample.Id}-job-migrate",
        ], objects.Select(o => o.ResourceName));
        Assert.Null(objects[0].Namespace);
        Assert.Equal("shop-ns", objects[1].Namespace);
        Assert.Equal("/srv/d", objects[0].Annotation("slipway.io/owner"));
        Assert.Equal("web", objects[4].TemplateLabel("slipway.io/pod"));
    }

    [Fact]
    public void Plan_reads_the_pods_host_path_binds_as_node_local_rows_of_the_volume_table_and_no_persistent_volume()
    {
        using var workspace = new TempWorkspace();
        workspace.WriteFile("d/k8s/manifests.yml", """
            apiVersion: v1
            kind: PersistentVolume
            metadata:
              name: data
            spec:
              hostPath:
                path: /slipway/data
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: ns
            spec:
              template:
                spec:
                  volumes:
                  - name: host-proc
                    hostPath:
                      path: /proc
                  - name: data
                    persistentVolumeClaim:
                      claimName: data
            """);

        var row = Assert.Single(KubernetesManifests.NodeBinds(workspace.Combine("d"), Slipway.Core.Specs.DeployTarget.K8s));

        Assert.Equal("bind /proc", row.Name);
        Assert.Contains("node-local", row.Where);
        Assert.Contains("read-only (hostPath)", row.Where);
        Assert.Equal("- (never deleted)", row.SurvivesDeleteVolumes);
    }

    [Fact]
    public void Serializing_keeps_quoted_strings_quoted_and_separates_documents_with_dashes_only()
    {
        var objects = KubernetesManifests.Parse("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  PORT: \"8080\"\n  ON: 'true'\n---\n\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\n", "m.yml");

        var text = KubernetesManifests.Serialize(objects);

        Assert.Equal(2, objects.Count);
        Assert.Contains("PORT: \"8080\"", text);
        Assert.Contains("ON: 'true'", text);
        Assert.DoesNotContain("...", text);
        Assert.Equal(2, KubernetesManifests.Parse(text, "again").Count);
    }

    [Fact]
    public void Pins_replace_init_and_app_container_images_that_match_exactly()
    {
        var objects = KubernetesManifests.Parse("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              template:
                spec:
                  initContainers: [{name: init, image: "shop/web:local"}]
                  containers: [{name: web, image: shop/web:local}, {name: other, image: shop/web:local2}]
            """, "m.yml");

        var replaced = KubernetesManifests.PinImages(objects, new Dictionary<string, string> { ["shop/web:local"] = "reg:5000/shop/web:abc123" });

        Assert.Equal(2, replaced);
        Assert.Equal(["reg:5000/shop/web:abc123", "reg:5000/shop/web:abc123", "shop/web:local2"], objects[0].Containers().Select(c => c.Scalar("image")));
    }

    [Theory]
    [InlineData("- just\n- a list\n", "must be a mapping")]
    [InlineData("apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n", "metadata.name")]
    [InlineData("apiVersion: v1\nkind: [\n", "invalid YAML")]
    public void Malformed_manifests_are_refused_with_file_and_line(string text, string expected)
    {
        var error = Assert.ThrowsAny<SlipwayException>(() => KubernetesManifests.Parse(text, "/d/k8s/manifests.yml"));

        Assert.Contains("/d/k8s/manifests.yml:", error.Message);
        Assert.Contains(expected, error.Message);
    }
}
