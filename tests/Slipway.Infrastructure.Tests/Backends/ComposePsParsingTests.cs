using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Backends.Compose;

namespace Slipway.Infrastructure.Tests.Backends;

/// <summary>Status comes from <c>docker ps --format '{{json .}}'</c> filtered by the compose project label.</summary>
public sealed class ComposePsParsingTests
{
    // Shapes as docker 28 prints them against Engine 20.10 (labels trimmed to the ones that matter, plus a depends_on with commas).
    private const string Web = """{"ID":"a1b2c3d4e5f6a7b8","Labels":"com.docker.compose.depends_on=db:service_started:false,cache:service_healthy:true,com.docker.compose.oneoff=False,com.docker.compose.project=shop,com.docker.compose.service=web","Names":"shop-web-1","Ports":"0.0.0.0:8080->80/tcp, [::]:8080->80/tcp, 443/tcp","State":"running","Status":"Up 3 seconds (healthy)"}""";
    private const string Worker = """{"ID":"b2","Labels":"com.docker.compose.oneoff=False,com.docker.compose.service=worker","Names":"shop-worker-1","Ports":"","State":"exited","Status":"Exited (0) 2 seconds ago"}""";
    private const string Counter = """{"ID":"c3","Labels":"com.docker.compose.service=counter","Names":"shop-counter-1","Ports":"","State":"running","Status":"Up 1 second (health: starting)"}""";
    private const string Job = """{"ID":"d4","Labels":"com.docker.compose.oneoff=True,com.docker.compose.service=migrate","Names":"shop-migrate-run-1","Ports":"","State":"running","Status":"Up 1 second"}""";

    [Fact]
    public void Lines_are_parsed_sorted_by_service_with_health_from_the_status_text()
    {
        var states = DockerPs.Parse($"{Web}\n{Worker}\n{Counter}\n");

        Assert.Equal(["counter", "web", "worker"], states.Select(s => s.Service));
        Assert.Equal(["starting", "healthy", null], states.Select(s => s.Health));
        Assert.Equal(["running", "running", "exited"], states.Select(s => s.State));
        Assert.Equal("a1b2c3d4e5f6", states[1].Id);
        Assert.Equal("shop-web-1", states[1].Name);
    }

    [Fact]
    public void Start_times_in_nanoseconds_are_read_and_keyed_by_the_short_id_each_full_id_starts_with()
    {
        var output = "a1b2c3d4e5f6a7b8c9d0 2026-12-02T07:05:45.123456789Z\nffff0000 2026-12-02T07:05:46Z\nb2b2b2b2b2b2ffff 0001-01-01T00:00:00Z\n";

        var started = DockerPs.ParseStartedAt(output, ["a1b2c3d4e5f6", "b2b2b2b2b2b2", "c3c3c3c3c3c3"]);

        Assert.Equal(new DateTimeOffset(2026, 12, 2, 7, 5, 45, TimeSpan.Zero).AddTicks(1234567), started["a1b2c3d4e5f6"]);
        Assert.Equal(DateTimeOffset.MinValue, started["b2b2b2b2b2b2"]); // never started: long ago, and its state is not "running" anyway
        Assert.False(started.ContainsKey("c3c3c3c3c3c3")); // not printed: gone
        Assert.Equal(2, started.Count); // an id nobody asked for is left out
    }

    [Fact]
    public void Published_ports_of_both_address_families_are_read_and_a_port_only_exposed_is_left_out()
    {
        var web = Assert.Single(DockerPs.Parse(Web));

        Assert.Equal([new PublishedPort("0.0.0.0", 8080, 80, "tcp"), new PublishedPort("::", 8080, 80, "tcp")], web.Ports);
        Assert.Equal("0.0.0.0:8080->80/tcp", web.Ports[0].ToString());
    }

    [Theory]
    [InlineData("127.0.0.1:8000-8001->9000-9001/udp", "127.0.0.1:8000->9000/udp|127.0.0.1:8001->9001/udp")]
    [InlineData("53/udp, 127.0.0.1:53->53/tcp", "127.0.0.1:53->53/tcp")]
    [InlineData("0.0.0.0:32768->80/tcp", "0.0.0.0:32768->80/tcp")]
    public void Port_text_forms_are_expanded(string text, string expected)
    {
        Assert.Equal(expected.Split('|'), DockerPs.ParsePorts(text).Select(p => p.ToString()));
    }

    [Fact]
    public void One_off_job_containers_are_not_services()
    {
        Assert.Equal(["web"], DockerPs.Parse($"{Web}\n{Job}\n").Select(s => s.Service));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData(" \r\n")]
    public void No_containers_is_an_empty_list(string output)
    {
        Assert.Empty(DockerPs.Parse(output));
    }
}
