using Slipway.Core.Rendering.Kubernetes;

namespace Slipway.Core.Tests.Kubernetes;

/// <summary>The Caddy ingress manifest's rules beyond the goldens, and how a certificate backup becomes Secrets to apply.</summary>
public sealed class CaddyIngressTests
{
    [Theory]
    [InlineData("ghcr.io/laconicnetwork/caddy-ingress:latest", "Always")]
    [InlineData("caddy-ingress", "Always")]
    [InlineData("registry.local:5000/caddy-ingress", "Always")]
    [InlineData("registry.local:5000/caddy-ingress:2.1", "IfNotPresent")]
    [InlineData("ghcr.io/acme/caddy@sha256:0123", "IfNotPresent")]
    public void A_moving_tag_is_pulled_every_time_and_a_fixed_one_only_when_missing(string image, string policy)
    {
        Assert.Equal(policy, CaddyIngress.PullPolicy(image));
    }

    [Fact]
    public void Without_kind_mount_root_there_is_no_backup_and_without_an_email_the_configmap_has_none()
    {
        var objects = CaddyIngress.Render(null, null, backup: false);

        Assert.DoesNotContain(objects, o => (string?)o["kind"] == "CronJob");
        var configMap = Assert.Single(objects, o => (string?)o["kind"] == "ConfigMap");
        Assert.Equal("{\"acmeCA\":\"https://acme-v02.api.letsencrypt.org/directory\"}", configMap["data"]!.ToJsonString());
        Assert.All(objects, o => Assert.Null(o["metadata"]!["labels"]![SlipwayLabels.DeploymentIdLabel]));
    }

    [Fact]
    public void A_single_secret_document_is_restored_and_objects_of_other_kinds_are_left_out()
    {
        var (secrets, problem) = CaddyCertRestore.Secrets("""
            apiVersion: v1
            kind: List
            items:
            - kind: ConfigMap
              metadata: {name: not-a-secret}
            - kind: Secret
              metadata: {name: cert-a, namespace: default, uid: x}
              data: {tls.key: a2V5}
            """, "backup.yaml");

        Assert.Null(problem);
        Assert.Equal("{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"cert-a\",\"namespace\":\"caddy-system\"},\"data\":{\"tls.key\":\"a2V5\"}}", Assert.Single(secrets).ToJsonString());
    }

    [Fact]
    public void A_backup_that_is_not_yaml_names_the_problem_and_an_empty_one_holds_nothing()
    {
        var (secrets, problem) = CaddyCertRestore.Secrets("items: [unclosed", "/srv/kind/caddy-cert-backup/caddy-secrets.yaml");

        Assert.Empty(secrets);
        Assert.StartsWith("/srv/kind/caddy-cert-backup/caddy-secrets.yaml:", problem);
        var (none, noProblem) = CaddyCertRestore.Secrets("", "x");
        Assert.Empty(none);
        Assert.Null(noProblem);
    }
}
