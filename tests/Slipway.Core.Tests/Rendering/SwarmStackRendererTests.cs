using System.Text;
using Slipway.Core.Deployments;
using Slipway.Core.Rendering.Swarm;
using Slipway.Core.Verification;
using Slipway.TestKit;

namespace Slipway.Core.Tests.Rendering;

public sealed class SwarmStackRendererTests
{
    private const string Compose = """
        services:
          web:
            image: slipway/hello:local
            container_name: fixed
            restart: unless-stopped
            depends_on: [worker]
            environment:
              GREETING: ${GREETING:-hi}
              LITERAL: "cost $$5"
            ports:
              - "8080:80"
            volumes:
              - ../config/app/motd.txt:/www/motd.txt:ro
              - ../config/app/site:/www/site
              - ../data/uploads:/uploads
              - web-data:/data
          worker:
            image: slipway/worker:local
            deploy:
              replicas: 2
              update_config:
                parallelism: 1
        volumes:
          web-data:
        """;

    private static SwarmInputs Inputs(string motd = "hello\n", RolloutStrategy strategy = RolloutStrategy.StartFirst) => new()
    {
        Project = "slipway-abc",
        ComposeFiles = [RenderedFile.Text("compose/docker-compose-app.yml", Compose)],
        ConfigFiles =
        [
            RenderedFile.Text("config/app/motd.txt", motd),
            RenderedFile.Text("config/app/site/index.html", "<p>site</p>\n"),
            RenderedFile.Text("config/app/site/css/main.css", "p {}\n"),
        ],
        Lookup = key => key == "GREETING" ? "price $1" : null,
        Strategy = strategy,
        DeploymentDirectory = "/srv/d",
    };

    [Fact]
    public void The_stack_file_merges_pods_interpolates_makes_config_files_configs_and_sets_the_update_order()
    {
        var stack = SwarmStackRenderer.Render(Inputs());

        Golden.AssertMatches(stack.Text, "SwarmStackRenderer/stack.yml");
        Assert.Equal(3, stack.Configs.Count);
        Assert.Equal(["config/app/motd.txt", "config/app/site/css/main.css", "config/app/site/index.html"], stack.Configs.Select(c => c.File).Order(StringComparer.Ordinal));
        Assert.Equal(stack.Configs.Select(c => c.Name).Order(StringComparer.Ordinal), SwarmStackRenderer.ConfigNames(stack.Text).Order(StringComparer.Ordinal));
        Assert.Equal(["container_name", "depends_on"], stack.Warnings.Select(w => w.Message.Split('\'')[3]));
    }

    [Fact]
    public void A_changed_config_file_gets_a_new_name_and_an_unchanged_one_keeps_its_own()
    {
        var before = SwarmStackRenderer.Render(Inputs());
        var after = SwarmStackRenderer.Render(Inputs(motd: "changed\n"));

        var changed = before.Configs.Zip(after.Configs).Where(p => p.First.Name != p.Second.Name).ToList();
        var (old, renamed) = Assert.Single(changed);
        Assert.Equal("config/app/motd.txt", old.File);
        Assert.EndsWith("-motd.txt", renamed.Name, StringComparison.Ordinal);
        Assert.StartsWith("slipway-abc-", renamed.Name, StringComparison.Ordinal);
        Assert.Equal(SwarmStackRenderer.Render(Inputs()).Text, before.Text);
    }

    [Fact]
    public void Stop_first_is_the_update_order_of_every_service_and_a_long_config_name_is_cut_to_swarms_limit()
    {
        var stack = SwarmStackRenderer.Render(Inputs(strategy: RolloutStrategy.StopFirst));
        var name = SwarmStackRenderer.ConfigName(new string('p', 60), new RenderedFile("config/x/a-rather-long-file-name.conf", Encoding.UTF8.GetBytes("x")));

        Assert.Equal(2, CountOf(stack.Text, "order: stop-first"));
        Assert.Equal(0, CountOf(stack.Text, "start-first"));
        Assert.Equal(64, name.Length);
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
