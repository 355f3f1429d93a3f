using Slipway.Core.Diagnostics;
using Slipway.Core.Fleet;

namespace Slipway.Core.Tests.Fleet;

public sealed class InventoryParserTests
{
    private const string Valid = """
        repo: /srv/ops
        hosts:
          saturn:
            ssh: admin@saturn.example
            labels: [gpu, web]
            vars:
              GREETING: hi from saturn
          solaria:
            labels: [web]
            repo: /opt/ops
            slipway: /usr/local/bin/slipway
            env-files: [/etc/ops/solaria.env]
          jupiter:
        deployments:
          web:
            spec: deployments/web/spec.yml
            dir: /srv/deployments/web
            labels: [web]
            env-files: /srv/secrets/web.env
          ai:
            spec: deployments/ai/spec.yml
            dir: /srv/deployments/ai
            hosts: [jupiter, saturn]
        """;

    private static (Inventory Inventory, DiagnosticBag Diagnostics) Parse(string text)
    {
        var diagnostics = new DiagnosticBag();
        return (InventoryParser.Parse(text, "fleet.yml", diagnostics), diagnostics);
    }

    [Fact]
    public void Hosts_take_the_inventory_defaults_unless_they_set_their_own()
    {
        var (inventory, diagnostics) = Parse(Valid);

        Assert.Empty(diagnostics.Items);
        var saturn = inventory.Host("saturn")!;
        Assert.Equal("admin@saturn.example", saturn.Ssh);
        Assert.Equal("/srv/ops", saturn.Repo);
        Assert.Equal("slipway", saturn.Slipway);
        Assert.Equal("hi from saturn", saturn.Vars["GREETING"]);
        var solaria = inventory.Host("solaria")!;
        Assert.Equal("solaria", solaria.Ssh);
        Assert.Equal(("/opt/ops", "/usr/local/bin/slipway"), (solaria.Repo, solaria.Slipway));
        Assert.Equal(["/etc/ops/solaria.env"], solaria.EnvFiles);
        Assert.Equal(["/srv/secrets/web.env"], inventory.Deployments[0].EnvFiles);
    }

    [Fact]
    public void Targets_follow_inventory_order_and_join_named_hosts_with_labelled_ones()
    {
        var (inventory, _) = Parse(Valid);

        var targets = inventory.Targets();

        Assert.Equal(["saturn", "solaria", "jupiter"], targets.Select(t => t.Host.Name));
        Assert.Equal(["web", "ai"], targets[0].Deployments.Select(d => d.Name));
        Assert.Equal(["web"], targets[1].Deployments.Select(d => d.Name));
        Assert.Equal(["ai"], targets[2].Deployments.Select(d => d.Name));
        Assert.Equal(["solaria"], inventory.Targets(deployments: ["web"], hosts: ["solaria", "jupiter"]).Select(t => t.Host.Name));
    }

    [Fact]
    public void Unknown_keys_unknown_hosts_and_relative_paths_are_errors_with_their_location()
    {
        var (_, diagnostics) = Parse("""
            repo: srv/ops
            hosts:
              saturn:
                labls: [web]
            deployments:
              web:
                spec: ../outside/spec.yml
                dir: /srv/web
                hosts: [satrun]
              nowhere:
                spec: a.yml
                dir: /srv/a
            """);

        var errors = diagnostics.Sorted().Where(d => d.IsError).Select(d => d.ToString()).ToList();
        Assert.Contains(errors, e => e.StartsWith("fleet.yml:1:7", StringComparison.Ordinal) && e.Contains("absolute path", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("fleet.yml:4:5", StringComparison.Ordinal) && e.Contains("unknown key 'labls'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("fleet.yml:7:11", StringComparison.Ordinal) && e.Contains("inside the repository", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("fleet.yml:9:13", StringComparison.Ordinal) && e.Contains("host 'satrun'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("fleet.yml:10:3", StringComparison.Ordinal) && e.Contains("runs nowhere", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("has no 'repo'", StringComparison.Ordinal));
    }

    [Fact]
    public void Remote_commands_quote_every_inventory_value_but_the_slipway_command()
    {
        var (inventory, _) = Parse(Valid.Replace("hi from saturn", "it's $HOME", StringComparison.Ordinal));
        var saturn = inventory.Host("saturn")!;

        Assert.Equal("env 'GREETING=it'\\''s $HOME' slipway deployment --dir '/srv/deployments/ai' resume --output json",
            RemoteScripts.Verb(saturn, inventory.Deployments[1], "resume --output json"));
        Assert.Equal("/srv/deployments", RemoteScripts.ParentOf("/srv/deployments/web"));
    }
}
