using Slipway.Core.Rendering.Swarm;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Backends.Swarm;

namespace Slipway.Infrastructure.Tests.Backends.Swarm;

public sealed class SwarmPlanTests
{
    private static SwarmStackRenderer.StackService Wanted(string name, string definition, string[]? configs = null, string[]? secrets = null) =>
        new(name, "slipway/hello:local", definition, configs ?? [], secrets ?? []);

    private static SwarmService Live(string name, string? definition, string image = "slipway/hello:local@sha256:abc") =>
        new($"p_{name}", name, 1, null, null, [], image) { Definition = definition };

    private static readonly Dictionary<string, string> NoPins = [];

    [Fact]
    public void Services_at_their_rendered_definition_and_image_are_unchanged_and_reused_objects_are_said_so()
    {
        var changes = SwarmPlan.Compare([Wanted("web", "d1", ["c1"], ["s1"])], NoPins, [Live("web", "d1")], new HashSet<string> { "c1" }, new HashSet<string> { "s1" });

        Assert.All(changes, c => Assert.Equal("unchanged", c.Action));
        Assert.Equal(["service web", "config c1", "secret s1"], changes.Select(c => $"{c.Kind} {c.Name}"));
    }

    [Fact]
    public void A_new_config_or_secret_version_updates_exactly_its_consumers_and_is_created()
    {
        var changes = SwarmPlan.Compare([Wanted("web", "d2", ["c2"], ["s2"]), Wanted("worker", "w1", ["c1"])], NoPins,
            [Live("web", "d1"), Live("worker", "w1")], new HashSet<string> { "c1" }, new HashSet<string> { "s1" });

        var web = Assert.Single(changes, c => c.Name == "web");
        Assert.Equal(("update", "new config c2, secret s2"), (web.Action, web.Detail));
        Assert.Equal("unchanged", Assert.Single(changes, c => c.Name == "worker").Action);
        Assert.Equal("create", Assert.Single(changes, c => c.Name == "c2").Action);
        Assert.Equal("create", Assert.Single(changes, c => c.Name == "s2").Action);
    }

    [Fact]
    public void A_pinned_image_a_changed_definition_a_new_service_and_a_service_no_longer_rendered_are_each_said()
    {
        var pins = new Dictionary<string, string> { ["slipway/hello:local"] = "slipway/hello:abc123" };
        var changes = SwarmPlan.Compare([Wanted("web", "d1"), Wanted("api", "a1"), Wanted("cron", "x2")], pins,
            [Live("web", "d1"), Live("old", "o1"), Live("cron", "x1", image: "slipway/hello:abc123@sha256:def")], new HashSet<string>(), new HashSet<string>());

        Assert.Equal(("update", "image slipway/hello:local → slipway/hello:abc123"), Pair(changes, "web"));
        Assert.Equal(("create", "image slipway/hello:abc123"), Pair(changes, "api"));
        Assert.Equal("remove", Pair(changes, "old").Action);
        Assert.StartsWith("definition changed", Pair(changes, "cron").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_service_pin_wins_over_its_stack_images_pin_so_services_sharing_an_image_are_planned_apart()
    {
        var pins = new Dictionary<string, string> { ["slipway/hello:local"] = "slipway/hello:shared", [ServicePin.Key("api")] = "slipway/hello:api-only" };
        var changes = SwarmPlan.Compare([Wanted("web", "d1"), Wanted("api", "a1")], pins,
            [Live("web", "d1", image: "slipway/hello:shared@sha256:1"), Live("api", "a1", image: "slipway/hello:shared@sha256:1")], new HashSet<string>(), new HashSet<string>());

        Assert.Equal("unchanged", Pair(changes, "web").Action);
        Assert.Equal(("update", "image slipway/hello:shared → slipway/hello:api-only"), Pair(changes, "api"));
    }

    private static (string Action, string? Detail) Pair(IReadOnlyList<PlannedChange> changes, string name) =>
        Assert.Single(changes, c => c.Name == name) is var c ? (c.Action, c.Detail) : default;
}
