using Slipway.Core.Deployments;

namespace Slipway.Core.Tests.Deployments;

public sealed class RecreateReasonsTests
{
    private const string Compose = """
        services:
          web:
            image: app:1
            environment:
              GREETING: ${GREETING:-hi}
            volumes:
              - ../config/web/motd.txt:/www/motd.txt:ro
            labels:
              io.slipway.config-hash: "aaaa"
          worker:
            image: app:1
            command: ["work"]
            environment:
              - TOKEN
        """;

    private static Dictionary<string, string> D(string compose = Compose, string config = "GREETING=one\nTOKEN=t1\n", string motd = "h1", params (string, string)[] extra)
    {
        var files = new Dictionary<string, string>
        {
            ["compose/docker-compose-app.yml"] = compose,
            ["config.env"] = config,
            ["config/web/motd.txt"] = motd,
        };
        foreach (var (path, text) in extra) files[path] = text;
        return files;
    }

    private static readonly Dictionary<string, string> Images = new() { ["web"] = "app:1", ["worker"] = "app:1" };

    [Fact]
    public void Nothing_changed_gives_no_reasons()
    {
        Assert.Empty(RecreateReasons.Explain(D(), D(), Images, Images));
    }

    [Fact]
    public void A_changed_config_key_names_only_the_services_that_consume_it_and_never_the_value()
    {
        var reasons = RecreateReasons.Explain(D(), D(config: "GREETING=two\nTOKEN=t1\n"), Images, Images);

        Assert.Equal(["config key GREETING"], Assert.Single(reasons, r => r.Key == "web").Value);
        Assert.DoesNotContain("worker", reasons.Keys);
        Assert.DoesNotContain("two", string.Join(" ", reasons.Values.SelectMany(v => v)));
    }

    [Fact]
    public void A_changed_bound_file_is_the_reason_and_its_config_hash_label_is_not_a_compose_change()
    {
        var after = D(compose: Compose.Replace("aaaa", "bbbb"), motd: "h2");

        var reasons = RecreateReasons.Explain(D(), after, Images, Images);

        Assert.Equal(["bound file config/web/motd.txt"], reasons["web"]);
        Assert.Single(reasons);
    }

    [Fact]
    public void A_changed_file_a_bind_names_through_a_variable_is_the_reason_as_the_config_resolves_it()
    {
        var compose = Compose.Replace("../config/web/motd.txt", "../config/${SITE:-web}/motd.txt", StringComparison.Ordinal);

        var reasons = RecreateReasons.Explain(D(compose: compose), D(compose: compose.Replace("aaaa", "bbbb", StringComparison.Ordinal), motd: "h2"), Images, Images);

        Assert.Equal(["bound file config/web/motd.txt"], reasons["web"]);
    }

    [Fact]
    public void An_image_change_and_a_compose_change_are_told_apart()
    {
        var after = D(compose: Compose.Replace("command: [\"work\"]", "command: [\"work\", \"--fast\"]"));
        var images = new Dictionary<string, string>(Images) { ["web"] = "app:2" };

        var reasons = RecreateReasons.Explain(D(), after, Images, images);

        Assert.Equal(["image app:1 -> app:2"], reasons["web"]);
        Assert.Equal(["compose change in compose/docker-compose-app.yml"], reasons["worker"]);
    }

    [Fact]
    public void Key_order_in_the_compose_file_is_not_a_change()
    {
        var reordered = Compose.Replace("    image: app:1\n    command: [\"work\"]", "    command: [\"work\"]\n    image: app:1");
        Assert.NotEqual(Compose, reordered);

        Assert.Empty(RecreateReasons.Explain(D(), D(compose: reordered), Images, Images));
    }

    [Fact]
    public void An_override_names_the_services_it_touches_and_a_new_service_is_new()
    {
        var before = D(extra: ("overrides/local.yml", "services:\n  worker:\n    mem_limit: 100m\n"));
        var after = D(compose: Compose + "\n  extra:\n    image: app:1\n", extra: ("overrides/local.yml", "services:\n  worker:\n    mem_limit: 200m\n"));

        var reasons = RecreateReasons.Explain(before, after, Images, Images);

        Assert.Equal(["override overrides/local.yml"], reasons["worker"]);
        Assert.Equal(["new service"], reasons["extra"]);
        Assert.DoesNotContain("web", reasons.Keys);
    }

    [Fact]
    public void Describe_reads_as_one_line()
    {
        Assert.Equal("web (config key GREETING; bound file config/web/motd.txt)", RecreateReasons.Describe("web", ["config key GREETING", "bound file config/web/motd.txt"]));
        Assert.Equal("web", RecreateReasons.Describe("web", []));
    }
}
