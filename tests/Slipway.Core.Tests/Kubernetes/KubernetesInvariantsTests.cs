using System.Text.Json.Nodes;
using Slipway.Core.Rendering.Kubernetes;

namespace Slipway.Core.Tests.Kubernetes;

/// <summary>The checker finds each kind of broken output (it must be able to fail, or the fixture runs prove nothing).</summary>
public sealed class KubernetesInvariantsTests
{
    private static List<JsonObject> Valid() => KubernetesRenderer.Render(KubernetesGoldenTests.Kubernetes(KubernetesFixture.Inputs("jobs"))).Objects.Select(o => o.DeepClone().AsObject()).ToList();

    private static IReadOnlyList<string> Check(List<JsonObject> objects) => KubernetesInvariants.Check(objects, [], new HashSet<string>());

    private static JsonObject First(List<JsonObject> objects, string kind) => objects.First(o => (string?)o["kind"] == kind);

    [Fact]
    public void A_valid_render_has_no_violations()
    {
        Assert.Empty(Check(Valid()));
    }

    [Fact]
    public void A_selector_that_does_not_match_the_template_is_found()
    {
        var objects = Valid();
        First(objects, "Deployment")["spec"]!["selector"]!["matchLabels"]![SlipwayLabels.PodLabel] = "other";

        Assert.Contains(Check(objects), v => v.Contains("selector does not match the pod template's labels"));
    }

    [Fact]
    public void A_reference_to_a_configmap_that_is_not_rendered_is_found()
    {
        var objects = Valid();
        objects.Remove(First(objects, "ConfigMap"));

        Assert.Contains(Check(objects), v => v.Contains("which is not rendered"));
    }

    [Fact]
    public void A_claim_that_is_not_rendered_is_found()
    {
        var objects = Valid();
        objects.Remove(First(objects, "PersistentVolumeClaim"));

        Assert.Contains(Check(objects), v => v.Contains("PersistentVolumeClaim") && v.Contains("not rendered"));
    }

    [Fact]
    public void Invalid_names_labels_and_duplicates_are_found()
    {
        var objects = Valid();
        First(objects, "ConfigMap")["metadata"]!["name"] = "Not_A_Label";
        First(objects, "Deployment")["metadata"]!["labels"]!["tier"] = "-bad-";
        objects.Add(First(objects, "Secret").DeepClone().AsObject());

        var violations = Check(objects);

        Assert.Contains(violations, v => v.Contains("Not_A_Label: name is not a valid"));
        Assert.Contains(violations, v => v.Contains("label tier has an invalid value '-bad-'"));
        Assert.Contains(violations, v => v.Contains("declared twice"));
    }

    [Fact]
    public void Missing_slipway_labels_and_config_hash_are_found()
    {
        var objects = Valid();
        First(objects, "Secret")["metadata"]!["labels"]!.AsObject().Remove(SlipwayLabels.DeploymentIdLabel);
        First(objects, "Deployment")["spec"]!["template"]!["metadata"]!["annotations"]!.AsObject().Remove(SlipwayLabels.ConfigHashAnnotation);

        var violations = Check(objects);

        Assert.Contains(violations, v => v.Contains($"missing label {SlipwayLabels.DeploymentIdLabel}"));
        Assert.Contains(violations, v => v.Contains("no slipway.io/config-hash annotation"));
    }

    [Fact]
    public void A_service_port_no_container_listens_on_and_an_ingress_to_a_missing_service_are_found()
    {
        var rendering = KubernetesRenderer.Render(KubernetesGoldenTests.Kubernetes(KubernetesFixture.Inputs("http-proxy")));
        var objects = rendering.Objects.Select(o => o.DeepClone().AsObject()).ToList();
        var service = objects.First(o => (string?)o["kind"] == "Service");
        service["spec"]!["ports"]![0]!["targetPort"] = 1234;
        objects.Remove(objects.Last(o => (string?)o["kind"] == "Service"));

        var violations = KubernetesInvariants.Check(objects, [], KubernetesGoldenTests.External(KubernetesFixture.Inputs("http-proxy")));

        Assert.Contains(violations, v => v.Contains("targetPort 1234/TCP is no container's port"));
        Assert.Contains(violations, v => v.Contains("Ingress") && v.Contains("which is not rendered"));
    }

    [Fact]
    public void A_pull_secret_is_accepted_only_when_created_at_apply()
    {
        var rendering = KubernetesRenderer.Render(KubernetesGoldenTests.Kubernetes(KubernetesFixture.Inputs("registry")));

        Assert.Contains(KubernetesInvariants.Check(rendering.Objects, [], new HashSet<string>()), v => v.Contains("imagePullSecret slipway-test00001-registry"));
    }

    [Fact]
    public void A_container_with_ports_and_no_service_named_as_it_is_found()
    {
        var objects = KubernetesRenderer.Render(KubernetesGoldenTests.Kubernetes(KubernetesFixture.Inputs("multi-pod"))).Objects.Select(o => o.DeepClone().AsObject()).ToList();
        Assert.Empty(Check(objects));
        objects.Remove(objects.Single(o => (string?)o["kind"] == "Service" && (string?)o["metadata"]!["name"] == "app"));

        Assert.Contains(Check(objects), v => v.Contains("container app: has ports but no Service named 'app'"));
    }

    [Fact]
    public void A_named_service_that_selects_another_pod_or_misses_a_port_is_found()
    {
        var objects = KubernetesRenderer.Render(KubernetesGoldenTests.Kubernetes(KubernetesFixture.Inputs("multi-pod"))).Objects.Select(o => o.DeepClone().AsObject()).ToList();
        var app = objects.Single(o => (string?)o["kind"] == "Service" && (string?)o["metadata"]!["name"] == "app");
        var exporter = objects.Single(o => (string?)o["kind"] == "Service" && (string?)o["metadata"]!["name"] == "node-exporter");
        app["spec"]!["selector"]![SlipwayLabels.PodLabel] = "metrics";
        exporter["spec"]!["ports"]![0]!["port"] = 80;

        var violations = Check(objects);

        Assert.Contains(violations, v => v.Contains("container app: Service app does not select its pod"));
        Assert.Contains(violations, v => v.Contains("container node-exporter: Service node-exporter does not expose port 9100/TCP as itself"));
    }

    [Fact]
    public void A_headless_external_service_without_its_endpoint_slice_is_found()
    {
        var inputs = KubernetesFixture.Inputs("single-pod");
        var objects = KubernetesRenderer.Render(KubernetesGoldenTests.Kubernetes(inputs)).Objects.Select(o => o.DeepClone().AsObject()).ToList();
        Assert.Empty(Check(objects));
        var slice = objects.Single(o => (string?)o["kind"] == "EndpointSlice");
        slice["ports"]![0]!["port"] = 1;
        Assert.Contains(Check(objects), v => v.Contains("Service cache: port port-443 is in no EndpointSlice"));
        objects.Remove(slice);

        Assert.Contains(Check(objects), v => v.Contains("Service cache: a Service without a selector has no EndpointSlice"));
    }

    [Fact]
    public void A_ca_certificate_mount_of_a_key_the_secret_lacks_and_a_runtime_class_with_a_namespace_are_found()
    {
        var objects = KubernetesRenderer.Render(KubernetesGoldenTests.Kubernetes(KubernetesFixture.Inputs("laconic-keys"))).Objects.Select(o => o.DeepClone().AsObject()).ToList();
        Assert.Empty(Check(objects));
        var secret = objects.Single(o => (string?)o["kind"] == "Secret");
        secret["data"]!.AsObject().Remove("laconic-extra-ca-0.pem");
        objects.Single(o => (string?)o["kind"] == "RuntimeClass")["metadata"]!["namespace"] = "shop-laconic";

        var violations = Check(objects);

        Assert.Contains(violations, v => v.Contains("mounts key 'laconic-extra-ca-0.pem' of Secret slipway-test00001-ca-certificates, which it does not have"));
        Assert.Contains(violations, v => v.Contains("RuntimeClass high-memlock: a cluster-scoped object has a namespace"));
    }
}
