using Slipway.Core.Compose;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Core.Verification;

namespace Slipway.Core.Tests.Verification;

public sealed class HostPortsTests
{
    private static ComposeService Service(string name, params string[] ports) => new(name, new SourceLocation("D/compose/docker-compose-app.yml", 3, 3))
    {
        Ports = [.. ports.Select(PortSpec.Parse)],
        PortTexts = ports,
    };

    [Fact]
    public void Only_fixed_host_ports_are_wanted_and_each_port_of_a_fixed_range_counts()
    {
        var wanted = HostPorts.Wanted(
            [Service("web", "80", "0:81", "127.0.0.1:8080:80", "9000-9001:9000-9001/udp", "7000-7010:70")],
            []);

        Assert.Equal(
            ["web 127.0.0.1:8080/tcp", "web 9000/udp", "web 9001/udp"],
            wanted.Select(w => $"{w.Service} {w.Describe()}"));
        Assert.All(wanted, w => Assert.False(w.InSpec));
        Assert.All(wanted, w => Assert.Equal(3, w.At.Line));
    }

    [Fact]
    public void A_port_the_spec_sets_points_at_its_network_ports_line()
    {
        var spec = new ServicePorts("web", [new Located<string>("8443:443", new SourceLocation("spec.yml", 9, 9)), new Located<string>("8080:80", new SourceLocation("spec.yml", 10, 9))],
            new SourceLocation("spec.yml", 8, 5));

        var wanted = Assert.Single(HostPorts.Wanted([Service("web", "8080:80")], [spec]));

        Assert.True(wanted.InSpec);
        Assert.Equal(new SourceLocation("spec.yml", 10, 9), wanted.At);
        Assert.Equal("8080:80", wanted.PortText);
    }

    [Fact]
    public void Listening_rows_of_proc_net_tcp_are_read_with_their_address_port_and_inode()
    {
        const string Tcp = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 40001 1 0000000000000000 100 0 0 10 0
               1: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 40002 1 0000000000000000 100 0 0 10 0
               2: 0100007F:1F90 0100007F:D2A4 01 00000000:00000000 00:00000000 00000000     0        0 40003 1 0000000000000000 20 4 30 10 -1
            """;

        var listeners = HostPorts.ParseProcNet(Tcp, "tcp");

        Assert.Equal([new HostListener("127.0.0.1", 8080, "tcp", 40001), new HostListener("0.0.0.0", 80, "tcp", 40002)], listeners);
    }

    [Fact]
    public void Ipv6_rows_are_read_and_an_ipv4_mapped_address_is_shown_as_ipv4()
    {
        const string Tcp6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 50001 1 0000000000000000 100 0 0 10 0
               1: 00000000000000000000000001000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 50002 1 0000000000000000 100 0 0 10 0
               2: 0000000000000000FFFF00000100007F:0035 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 50003 2 0000000000000000 0
            """;

        Assert.Equal([new HostListener("::", 8080, "tcp", 50001), new HostListener("::1", 22, "tcp", 50002)], HostPorts.ParseProcNet(Tcp6, "tcp"));
        Assert.Equal([new HostListener("127.0.0.1", 53, "udp", 50003)], HostPorts.ParseProcNet(Tcp6, "udp"));
    }

    [Theory]
    [InlineData(null, "127.0.0.1", true)]
    [InlineData("127.0.0.1", "0.0.0.0", true)]
    [InlineData("127.0.0.1", "::", true)]
    [InlineData("127.0.0.1", "127.0.0.1", true)]
    [InlineData("127.0.0.1", "127.0.0.2", false)]
    [InlineData("127.0.0.1", "::1", false)]
    [InlineData("::1", "::1", true)]
    public void Binds_collide_on_the_same_address_or_a_wildcard(string? wanted, string held, bool collides)
    {
        Assert.Equal(collides, HostPorts.Collides(wanted, held));
    }

    [Fact]
    public void Two_services_on_one_host_port_clash_and_different_addresses_do_not()
    {
        var wanted = HostPorts.Wanted([Service("web", "8080:80", "127.0.0.1:9000:90"), Service("counter", "127.0.0.1:8080:81", "127.0.0.2:9000:90", "8080:80/udp")], []);

        var clash = Assert.Single(HostPorts.Clashes(wanted));

        Assert.Equal(("web", "counter"), (clash.First.Service, clash.Second.Service));
        Assert.Equal("127.0.0.1:8080/tcp", clash.Second.Describe());
    }
}
