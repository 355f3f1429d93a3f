using Slipway.Core.Compose;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Core.Verification;

namespace Slipway.Core.Tests.Deployments;

public sealed class RolloutPlanTests
{
    private static readonly SourceLocation At = new("compose/docker-compose-app.yml", 3, 3);

    private static readonly RolloutSettings StartFirst = new() { Strategy = RolloutStrategy.StartFirst, Location = new SourceLocation("spec.yml", 4, 3) };

    private static ComposeService Service(string name, string[]? ports = null, ServiceMount[]? mounts = null) => new(name, At)
    {
        Ports = (ports ?? []).Select(PortSpec.Parse).ToList(),
        Mounts = mounts ?? [],
    };

    private static ServiceMount Mount(MountKind kind, string? source, bool readOnly = false) => new(kind, source, "/data", readOnly, "", At);

    [Fact]
    public void Stop_first_starts_nothing_first_and_finds_nothing_to_say()
    {
        var plan = RolloutPlan.For([Service("web", ["8080:80"])], RolloutSettings.Default);

        Assert.Empty(plan.StartFirst);
        Assert.Empty(plan.Problems);
    }

    [Theory]
    [InlineData("80")]
    [InlineData("127.0.0.1::80")]
    [InlineData("0:80")]
    [InlineData("8000-8010:80")]
    public void A_service_whose_host_port_the_engine_picks_starts_first(string port)
    {
        var plan = RolloutPlan.For([Service("web", [port]), Service("worker")], StartFirst);

        Assert.Equal(["web", "worker"], plan.StartFirst.Order(StringComparer.Ordinal));
        Assert.Empty(plan.Problems);
    }

    [Theory]
    [InlineData("8080:80", "fixed host port 8080")]
    [InlineData("127.0.0.1:8080:80", "fixed host port 8080")]
    [InlineData("8000-8001:8000-8001", "fixed host port 8000-8001")]
    public void Start_first_for_a_service_with_a_fixed_host_port_is_an_error_that_says_why_and_what_would_work(string port, string why)
    {
        var plan = RolloutPlan.For([Service("web", [port])], StartFirst);

        var error = Assert.Single(plan.Problems);
        Assert.True(error.IsError);
        Assert.Contains("service 'web' cannot run a new container beside the old one", error.Message);
        Assert.Contains(why, error.Message);
        Assert.Contains("proxy in front", error.Hint);
        Assert.Contains("rollout.strategy: stop-first", error.Hint);
        Assert.Equal(StartFirst.Location, error.Location);
        Assert.Empty(plan.StartFirst);
    }

    [Fact]
    public void Host_networking_and_a_container_name_cannot_start_first_either()
    {
        var plan = RolloutPlan.For([new ComposeService("host", At) { NetworkMode = "host" }, new ComposeService("named", At) { ContainerName = "my-named" }], StartFirst);

        Assert.Equal(2, plan.Problems.Count(p => p.IsError));
        Assert.Contains(plan.Problems, p => p.Message.Contains("network_mode: host", StringComparison.Ordinal));
        Assert.Contains(plan.Problems, p => p.Message.Contains("container_name 'my-named'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_service_with_a_data_volume_stays_stop_first_with_a_warning_unless_the_spec_marks_it_volume_safe()
    {
        var services = new[]
        {
            Service("db", mounts: [Mount(MountKind.Volume, "db-data")]),
            Service("files", mounts: [Mount(MountKind.Bind, "/srv/files")]),
            Service("web", mounts: [Mount(MountKind.Bind, "/srv/static", readOnly: true)]),
        };

        var plan = RolloutPlan.For(services, StartFirst);

        Assert.Equal(["web"], plan.StartFirst);
        Assert.All(plan.Problems, p => Assert.False(p.IsError));
        var db = Assert.Single(plan.Problems, p => p.Message.Contains("'db'", StringComparison.Ordinal));
        Assert.Contains("mounts db-data: it stays stop-first", db.Message);
        Assert.Contains("rollout.volume-safe", db.Hint);

        var safe = RolloutPlan.For(services, StartFirst with { VolumeSafe = [new Located<string>("db", At)] });
        Assert.Equal(["db", "web"], safe.StartFirst.Order(StringComparer.Ordinal));
        Assert.Single(safe.Problems);
    }

    [Fact]
    public void Volume_safe_naming_a_service_the_deployment_does_not_have_is_an_error_with_a_suggestion()
    {
        var plan = RolloutPlan.For([Service("web")], RolloutSettings.Default with { VolumeSafe = [new Located<string>("wbe", At)] });

        var error = Assert.Single(plan.Problems);
        Assert.True(error.IsError);
        Assert.Contains("'wbe'", error.Message);
        Assert.Contains("web", error.Hint);
    }
}
