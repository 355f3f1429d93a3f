using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;

namespace Slipway.Core.Tests.Kubernetes;

public sealed class KubernetesSpecParserTests
{
    private static (Spec Spec, DiagnosticBag Diagnostics) Parse(string lines)
    {
        var diagnostics = new DiagnosticBag();
        return (SpecParser.Parse("stack: ./s\ndeploy-to: k8s-kind\n" + lines + "\n", "spec.yml", diagnostics), diagnostics);
    }

    private static Diagnostic Error(string lines) => Assert.Single(Parse(lines).Diagnostics.Items, d => d.IsError);

    private const string Proxy = "  http-proxy:\n    - host-name: a.example.org\n      routes:\n        - path: /\n          proxy-to: web:80\n";

    [Fact]
    public void The_caddy_keys_are_read_silently_on_kind_with_an_ingress()
    {
        var (spec, diagnostics) = Parse("caddy-ingress-image: ghcr.io/acme/caddy:2.1\nnetwork:\n  acme-email: ops@example.org\n" + Proxy);

        Assert.Empty(diagnostics.Items);
        Assert.Equal("ghcr.io/acme/caddy:2.1", spec.Kubernetes.CaddyIngressImage!.Value);
        Assert.Equal("ops@example.org", spec.Kubernetes.AcmeEmail!.Value);
    }

    [Fact]
    public void The_caddy_keys_warn_on_plain_k8s_where_the_controller_is_the_operators()
    {
        var diagnostics = new DiagnosticBag();
        SpecParser.Parse("stack: ./s\ndeploy-to: k8s\ncaddy-ingress-image: caddy:2\nnetwork:\n  acme-email: ops@example.org\n" + Proxy, "spec.yml", diagnostics);

        Assert.Collection(diagnostics.Sorted(),
            d =>
            {
                Assert.Equal((DiagnosticCodes.NotApplicable, 3), (d.Code, d.Location!.Line));
                Assert.StartsWith("'caddy-ingress-image' has no effect on deploy-to k8s: Slipway installs the Caddy ingress controller only into the kind cluster of a k8s-kind deployment", d.Message);
            },
            d =>
            {
                Assert.Equal((DiagnosticCodes.NotApplicable, 5), (d.Code, d.Location!.Line));
                Assert.Contains("set the e-mail in that issuer", d.Message);
            });
    }

    [Fact]
    public void The_acme_email_warns_on_kind_without_an_ingress_and_a_bad_one_is_an_error()
    {
        var warning = Assert.Single(Parse("network:\n  acme-email: ops@example.org").Diagnostics.Items);
        Assert.Equal("'network.acme-email' has no effect without network.http-proxy: Slipway installs the Caddy ingress controller only for a deployment with an Ingress", warning.Message);

        var error = Error("network:\n  acme-email: nobody\n" + Proxy);
        Assert.Equal("network.acme-email 'nobody' is not an e-mail address", error.Message);
        Assert.Equal(4, error.Location!.Line);
    }

    [Fact]
    public void The_kubernetes_keys_are_read_into_the_spec()
    {
        var (spec, diagnostics) = Parse("""
            replicas: 2
            image-pull-policy: Never
            kind-cluster-name: shared
            kind-mount-root: /srv/kind
            network:
              http-proxy:
                - host-name: a.example.org
                  routes:
                    - path: /api
                      proxy-to: api:8080
            node-affinities:
              - label: nodetype
                value: big
            node-tolerations:
              - key: gpu
            secrets:
              api-keys: [A_KEY]
            configmaps:
              cfg: ./configmaps/cfg
            resources:
              containers:
                limits:
                  memory: 1Gi
                web:
                  reservations:
                    cpus: 500m
              volumes:
                reservations:
                  storage: 3Gi
            security:
              capabilities: [CAP_NET_ADMIN]
            """);

        Assert.Empty(diagnostics.Items);
        var k = spec.Kubernetes;
        Assert.Equal(2, k.Replicas);
        Assert.Equal("Never", k.ImagePullPolicy!.Value);
        Assert.Equal("shared", k.KindClusterName!.Value);
        var route = Assert.Single(Assert.Single(k.HttpProxy).Routes);
        Assert.Equal(("/api", "api", 8080), (route.Path, route.Service, route.Port));
        Assert.Equal(("nodetype", "big"), (k.NodeAffinities[0].Label, k.NodeAffinities[0].Value));
        Assert.Equal(("gpu", null, "NoSchedule"), (k.NodeTolerations[0].Key, k.NodeTolerations[0].Value, k.NodeTolerations[0].Effect));
        Assert.Equal(["A_KEY"], k.Secrets[0].Keys);
        Assert.Equal("./configmaps/cfg", k.ConfigMaps[0].Source);
        Assert.Equal("1Gi", k.Resources.Containers!.Limits.Memory);
        Assert.Equal("500m", k.Resources.PerContainer["web"].Value.Requests.Cpu);
        Assert.Equal("3Gi", k.Resources.VolumeStorage);
        Assert.Equal(["NET_ADMIN"], k.Security.Capabilities);
    }

    [Theory]
    [InlineData("resources:\n  containers:\n    limits:\n      memory: 512m", "thousandths of a byte", 6, 15)]
    [InlineData("resources:\n  containers:\n    limits:\n      cpus: lots", "not a CPU amount", 6, 13)]
    [InlineData("kind-mount-root: relative/dir", "must be an absolute host path", 3, 18)]
    [InlineData("namespace: Bad_NS", "not a valid Kubernetes namespace", 3, 12)]
    [InlineData("image-pull-policy: Sometimes", "image-pull-policy must be one of", 3, 20)]
    [InlineData("network:\n  http-proxy:\n    - host-name: a.example.org\n      routes:\n        - proxy-to: web", "must read SERVICE:PORT", 7, 21)]
    [InlineData("labels:\n  tier: \"-bad\"", "label value '-bad' is not valid", 4, 9)]
    [InlineData("labels:\n  slipway.io/pod: x", "is reserved", 4, 3)]
    [InlineData("node-tolerations:\n  - key: a\n    effect: Sometimes", "toleration effect must be one of", 5, 13)]
    public void Bad_kubernetes_values_are_errors_at_their_line_and_column(string lines, string message, int line, int column)
    {
        var error = Error(lines);

        Assert.Contains(message, error.Message);
        Assert.Equal((line, column), (error.Location!.Line, error.Location.Column));
    }

    [Fact]
    public void Registry_keys_do_not_warn_on_kubernetes_targets()
    {
        var (_, diagnostics) = Parse("image-registry: r.example.org\nregistry-credentials:\n  server: r.example.org\n  token-env: T");

        Assert.Empty(diagnostics.Items);
    }

    [Fact]
    public void Unlimited_memlock_is_read_on_kind_silently_and_on_k8s_warns_what_the_nodes_need()
    {
        var (spec, diagnostics) = Parse("security:\n  unlimited-memlock: true");
        Assert.Empty(diagnostics.Items);
        Assert.Equal(4, spec.Kubernetes.Security.UnlimitedMemlock!.Line);

        var onK8s = new DiagnosticBag();
        SpecParser.Parse("stack: ./s\ndeploy-to: k8s\nkube-config: ./k\nsecurity:\n  unlimited-memlock: true\n", "spec.yml", onK8s);
        var warning = Assert.Single(onK8s.Items);
        Assert.Equal(DiagnosticCodes.NotApplicable, warning.Code);
        Assert.Contains("runtime 'high-memlock'", warning.Message);
        Assert.Contains("RLIMIT_MEMLOCK", warning.Message);
    }

    [Fact]
    public void Maintenance_service_reads_service_and_port_and_refuses_another_shape()
    {
        var route = Parse("maintenance-service: maint:8080").Spec.Kubernetes.MaintenanceService!;
        Assert.Equal(("maint", 8080), (route.Service, route.Port));

        Assert.Contains("must read SERVICE:PORT", Error("maintenance-service: maint").Message);
    }

    [Fact]
    public void The_selector_form_of_an_external_service_needs_labels_and_a_namespace()
    {
        var external = Assert.Single(Parse("external-services:\n  peers:\n    selector: {app: node, tier: p2p}\n    namespace: other\n    port: 26656").Spec.Kubernetes.ExternalServices);
        Assert.Equal(["app=node", "tier=p2p"], external.SelectorLabels.Select(l => $"{l.Key}={l.Value}"));
        Assert.Equal("other", external.SelectorNamespace);

        Assert.Contains("needs 'selector' (at least one label: value) and 'namespace'", Error("external-services:\n  peers:\n    selector: {app: node}").Message);
    }
}
