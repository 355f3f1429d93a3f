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

    private const string SecretCompose = """
        services:
          api:
            image: slipway/hello:local
            command: ["serve", "--token=${API_TOKEN}"]
            environment:
              API_TOKEN: ${API_TOKEN}
              DB_URL: postgres://app:${DB_PASSWORD}@db/app
              GREETING: ${GREETING}
          job:
            image: slipway/hello:local
            environment:
              - API_TOKEN=${API_TOKEN}
              - PLAIN=yes
        """;

    private static readonly byte[] HashKey = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    private static SwarmInputs SecretInputs(string token = "t0ken-1") => new()
    {
        Project = "slipway-abc",
        ComposeFiles = [RenderedFile.Text("compose/docker-compose-app.yml", SecretCompose)],
        ConfigFiles = [],
        Lookup = key => key switch { "API_TOKEN" => token, "DB_PASSWORD" => "pw-9", "GREETING" => "hi", _ => null },
        DeploymentDirectory = "/srv/d",
        SecretKeys = new HashSet<string>(["API_TOKEN", "DB_PASSWORD"], StringComparer.Ordinal),
        SecretHashKey = HashKey,
    };

    [Fact]
    public void An_environment_value_that_interpolates_a_secret_key_becomes_a_docker_secret_read_from_a_file_and_never_a_value_in_the_stack_file()
    {
        var stack = SwarmStackRenderer.Render(SecretInputs());

        Assert.DoesNotContain("pw-9", stack.Text, StringComparison.Ordinal);
        Assert.Contains("API_TOKEN_FILE: /run/secrets/API_TOKEN", stack.Text, StringComparison.Ordinal);
        Assert.Contains("DB_URL_FILE: /run/secrets/DB_URL", stack.Text, StringComparison.Ordinal);
        Assert.Contains("- API_TOKEN_FILE=/run/secrets/API_TOKEN", stack.Text, StringComparison.Ordinal);
        Assert.Contains("- PLAIN=yes", stack.Text, StringComparison.Ordinal);
        Assert.Contains("GREETING: \"hi\"", stack.Text, StringComparison.Ordinal);
        Assert.Equal(["API_TOKEN", "DB_URL"], stack.Secrets.Select(s => s.Variable).Order(StringComparer.Ordinal)); // api and job share one API_TOKEN object
        Assert.Equal("postgres://app:pw-9@db/app", Assert.Single(stack.Secrets, s => s.Variable == "DB_URL").Content);
        Assert.Equal(stack.Secrets.Select(s => s.Name).Order(StringComparer.Ordinal), SwarmStackRenderer.SecretNames(stack.Text).Order(StringComparer.Ordinal));
        Assert.All(stack.Secrets, s => Assert.Equal($"swarm/secrets/{s.Name}", s.File));
        // The token is still in api's command: that one is said, with where.
        var warning = Assert.Single(stack.Warnings);
        Assert.Contains("API_TOKEN is interpolated outside an environment value", warning.Message, StringComparison.Ordinal);
        Assert.Equal(4, warning.Location!.Line);
    }

    [Fact]
    public void A_secret_key_whose_value_is_empty_stays_an_empty_environment_value_since_swarm_refuses_an_empty_secret()
    {
        var stack = SwarmStackRenderer.Render(SecretInputs(token: ""));

        Assert.DoesNotContain(stack.Secrets, s => s.Variable == "API_TOKEN");
        Assert.Contains("API_TOKEN: \"\"", stack.Text, StringComparison.Ordinal);
        Assert.Contains(stack.Secrets, s => s.Variable == "DB_URL");
    }

    [Fact]
    public void A_secret_keeps_its_name_while_its_value_is_unchanged_and_the_name_tells_nothing_without_the_deployments_key()
    {
        var before = SwarmStackRenderer.Render(SecretInputs());
        var same = SwarmStackRenderer.Render(SecretInputs());
        var changed = SwarmStackRenderer.Render(SecretInputs(token: "t0ken-2"));

        Assert.Equal(before.Secrets.Select(s => s.Name), same.Secrets.Select(s => s.Name));
        var names = before.Secrets.ToDictionary(s => s.Variable, s => s.Name);
        var renamed = changed.Secrets.Where(s => names[s.Variable] != s.Name).Select(s => s.Variable).ToList();
        Assert.Equal(["API_TOKEN"], renamed);
        Assert.NotEqual(SwarmStackRenderer.SecretName("p", "API_TOKEN", "t0ken-1", HashKey), SwarmStackRenderer.SecretName("p", "API_TOKEN", "t0ken-1", new byte[32]));
        Assert.DoesNotContain(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("t0ken-1"u8))[..12], before.Text, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
