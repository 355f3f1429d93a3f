using Slipway.Core.Compose;

namespace Slipway.Core.Tests.Compose;

public sealed class PortSpecTests
{
    [Theory]
    [InlineData("80", null, null, "80", "tcp")]
    [InlineData("80/udp", null, null, "80", "udp")]
    [InlineData("80/UDP", null, null, "80", "udp")]
    [InlineData("80/sctp", null, null, "80", "sctp")]
    [InlineData("80/tcp", null, null, "80", "tcp")]
    [InlineData("80/", null, null, "80", "tcp")]
    [InlineData("8080:80", null, "8080", "80", "tcp")]
    [InlineData("8080:80/tcp", null, "8080", "80", "tcp")]
    [InlineData("6060:6060/udp", null, "6060", "6060", "udp")]
    [InlineData("127.0.0.1:8080:80", "127.0.0.1", "8080", "80", "tcp")]
    [InlineData("127.0.0.1:8080:80/udp", "127.0.0.1", "8080", "80", "udp")]
    [InlineData("127.0.0.1::80", "127.0.0.1", null, "80", "tcp")]
    [InlineData("0.0.0.0:80:80", "0.0.0.0", "80", "80", "tcp")]
    [InlineData(":8080:80", null, "8080", "80", "tcp")]
    [InlineData("[::1]:8080:80", "::1", "8080", "80", "tcp")]
    [InlineData("[::1]::80", "::1", null, "80", "tcp")]
    [InlineData("::1:8080:80", "::1", "8080", "80", "tcp")]
    [InlineData("[fe80::1:2]:443:8443/udp", "fe80::1:2", "443", "8443", "udp")]
    [InlineData("[::]:53:53/udp", "::", "53", "53", "udp")]
    [InlineData("3000-3005", null, null, "3000-3005", "tcp")]
    [InlineData("8000-8010:8000-8010", null, "8000-8010", "8000-8010", "tcp")]
    [InlineData("9090-9091:8080-8081", null, "9090-9091", "8080-8081", "tcp")]
    [InlineData("127.0.0.1:5000-5010:5000-5010", "127.0.0.1", "5000-5010", "5000-5010", "tcp")]
    [InlineData("8000-8010:80", null, "8000-8010", "80", "tcp")]
    [InlineData("0:80", null, "0", "80", "tcp")]
    [InlineData("65535:1", null, "65535", "1", "tcp")]
    [InlineData("8080-8080:80", null, "8080", "80", "tcp")]
    public void Short_syntax_is_parsed(string text, string? hostIp, string? published, string target, string protocol)
    {
        var port = PortSpec.Parse(text);

        Assert.Equal(hostIp, port.HostIp);
        Assert.Equal(published, port.Published?.ToString());
        Assert.Equal(target, port.Target.ToString());
        Assert.Equal(protocol, port.Protocol);
    }

    [Theory]
    [InlineData("", "empty port specification")]
    [InlineData("abc", "invalid port 'abc': invalid container port 'abc': not a number")]
    [InlineData("0", "invalid port '0': invalid container port '0': must be between 1 and 65535")]
    [InlineData("65536", "invalid port '65536': invalid container port '65536': must be between 1 and 65535")]
    [InlineData("123456", "invalid port '123456': invalid container port '123456': not a number")]
    [InlineData("-1", "invalid port '-1': invalid container port range '-1': invalid container port '': not a number")]
    [InlineData(" 80", "invalid port ' 80': invalid container port ' 80': not a number")]
    [InlineData("8080:", "invalid port '8080:': no container port")]
    [InlineData("8080:/udp", "invalid port '8080:/udp': no container port")]
    [InlineData("80/http", "invalid port '80/http': invalid protocol 'http' (expected tcp, udp, sctp)")]
    [InlineData("::1/64:80:80", "invalid port '::1/64:80:80': invalid host IP '::1/64'")]
    [InlineData("x:80", "invalid port 'x:80': invalid published port 'x': not a number")]
    [InlineData("70000:80", "invalid port '70000:80': invalid published port '70000': must be between 0 and 65535")]
    [InlineData("8010-8000:80", "invalid port '8010-8000:80': invalid published port range '8010-8000': the end is below the start")]
    [InlineData("81-80", "invalid port '81-80': invalid container port range '81-80': the end is below the start")]
    [InlineData("8080:80-81", "invalid port '8080:80-81': published port range 8080 (1 ports) does not match container port range 80-81 (2 ports)")]
    [InlineData("9090-9092:8080-8081", "invalid port '9090-9092:8080-8081': published port range 9090-9092 (3 ports) does not match container port range 8080-8081 (2 ports)")]
    [InlineData("localhost:8080:80", "invalid port 'localhost:8080:80': invalid host IP 'localhost'")]
    [InlineData("256.0.0.1:8080:80", "invalid port '256.0.0.1:8080:80': invalid host IP '256.0.0.1'")]
    [InlineData("127.1:8080:80", "invalid port '127.1:8080:80': invalid host IP '127.1'")]
    [InlineData("127.0.0.01:8080:80", "invalid port '127.0.0.01:8080:80': invalid host IP '127.0.0.01'")]
    [InlineData("[::1:8080:80", "invalid port '[::1:8080:80': invalid host IP '[::1': missing ']'")]
    [InlineData("[]:8080:80", "invalid port '[]:8080:80': invalid host IP '[]'")]
    [InlineData("::1:80", "invalid port '::1:80': invalid host IP ':'")]
    [InlineData("fe80::1%eth0:80:80", "invalid port 'fe80::1%eth0:80:80': invalid host IP 'fe80::1%eth0'")]
    [InlineData("${PORT:-8080}:80", "invalid port '${PORT:-8080}:80': invalid host IP '${PORT'")]
    public void Invalid_short_syntax_is_rejected_with_the_reason(string text, string message)
    {
        Assert.False(PortSpec.TryParse(text, out var port, out var error));
        Assert.Null(port);
        Assert.Equal(message, error);
        Assert.Equal(message, Assert.Throws<FormatException>(() => PortSpec.Parse(text)).Message);
    }

    [Theory]
    [InlineData("${PORT:-8080}:80", "8080:80")]
    [InlineData("${BIND:-127.0.0.1}:${PORT:-8080}:80", "127.0.0.1:8080:80")]
    public void Interpolated_text_parses(string text, string expected)
    {
        var interpolated = Interpolation.Apply(text, _ => null).Value;

        Assert.Equal(expected, PortSpec.Parse(interpolated).ToShortString());
    }

    [Theory]
    [InlineData("80", "80")]
    [InlineData("80/tcp", "80")]
    [InlineData("80/UDP", "80/udp")]
    [InlineData("8080:80", "8080:80")]
    [InlineData(":8080:80", "8080:80")]
    [InlineData("127.0.0.1:8080:80/udp", "127.0.0.1:8080:80/udp")]
    [InlineData("127.0.0.1::80", "127.0.0.1::80")]
    [InlineData("::1:8080:80", "[::1]:8080:80")]
    [InlineData("[::1]:8080:80", "[::1]:8080:80")]
    [InlineData("[::1]::80/sctp", "[::1]::80/sctp")]
    [InlineData("8000-8010:8000-8010", "8000-8010:8000-8010")]
    [InlineData("8000-8010:80", "8000-8010:80")]
    [InlineData("08080:080", "8080:80")]
    public void Short_string_is_canonical(string text, string expected)
    {
        var port = PortSpec.Parse(text);

        Assert.Equal(expected, port.ToShortString());
        Assert.Equal(port, PortSpec.Parse(port.ToShortString()));
    }

    [Fact]
    public void Port_range_prints_a_single_port_without_a_dash()
    {
        Assert.Equal("80", PortRange.Single(80).ToString());
        Assert.True(PortRange.Single(80).IsSingle);
        Assert.Equal("8000-8010", new PortRange(8000, 8010).ToString());
        Assert.False(new PortRange(8000, 8010).IsSingle);
        Assert.Equal(11, new PortRange(8000, 8010).Length);
    }

    public static TheoryData<Dictionary<string, string>, PortSpec> LongForms => new()
    {
        { new() { ["target"] = "80" }, new PortSpec(null, null, PortRange.Single(80)) },
        { new() { ["target"] = "80", ["published"] = "8080" }, new PortSpec(null, PortRange.Single(8080), PortRange.Single(80)) },
        { new() { ["target"] = "80", ["published"] = "8000-8010" }, new PortSpec(null, new PortRange(8000, 8010), PortRange.Single(80)) },
        { new() { ["target"] = "80", ["published"] = "" }, new PortSpec(null, null, PortRange.Single(80)) },
        {
            new() { ["target"] = "53", ["published"] = "5353", ["host_ip"] = "127.0.0.1", ["protocol"] = "UDP", ["mode"] = "host" },
            new PortSpec("127.0.0.1", PortRange.Single(5353), PortRange.Single(53), "udp", "host")
        },
        { new() { ["target"] = "80", ["host_ip"] = "::1" }, new PortSpec("::1", null, PortRange.Single(80)) },
        {
            new() { ["target"] = "80", ["name"] = "web", ["app_protocol"] = "http", ["mode"] = "ingress" },
            new PortSpec(null, null, PortRange.Single(80), "tcp", "ingress", "web", "http")
        },
        { new() { ["target"] = "80", ["x-note"] = "ignored" }, new PortSpec(null, null, PortRange.Single(80)) },
    };

    [Theory]
    [MemberData(nameof(LongForms))]
    public void Long_syntax_is_read_from_its_fields(Dictionary<string, string> fields, PortSpec expected)
    {
        Assert.Equal(expected, PortSpec.FromLong(fields));
    }

    public static TheoryData<Dictionary<string, string>, string> BadLongForms => new()
    {
        { new(), "port field 'target' is required" },
        { new() { ["published"] = "8080" }, "port field 'target' is required" },
        { new() { ["target"] = "" }, "port field 'target' is required" },
        { new() { ["target"] = "80", ["publshed"] = "8080" }, "unknown port field 'publshed' (expected target, published, host_ip, protocol, mode, name, app_protocol)" },
        { new() { ["target"] = "eighty" }, "invalid target 'eighty': not a number" },
        { new() { ["target"] = "80-81" }, "invalid target '80-81': not a number" },
        { new() { ["target"] = "0" }, "invalid target '0': must be between 1 and 65535" },
        { new() { ["target"] = "80", ["published"] = "99999" }, "invalid published '99999': must be between 0 and 65535" },
        { new() { ["target"] = "80", ["published"] = "90-80" }, "invalid published range '90-80': the end is below the start" },
        { new() { ["target"] = "80", ["host_ip"] = "[::1]" }, "invalid host IP '[::1]'" },
        { new() { ["target"] = "80", ["host_ip"] = "example.org" }, "invalid host IP 'example.org'" },
        { new() { ["target"] = "80", ["protocol"] = "icmp" }, "invalid protocol 'icmp' (expected tcp, udp, sctp)" },
        { new() { ["target"] = "80", ["mode"] = "bridge" }, "invalid port mode 'bridge' (expected host or ingress)" },
    };

    [Theory]
    [MemberData(nameof(BadLongForms))]
    public void Invalid_long_syntax_is_rejected_with_the_reason(Dictionary<string, string> fields, string message)
    {
        Assert.False(PortSpec.TryFromLong(fields, out var port, out var error));
        Assert.Null(port);
        Assert.Equal(message, error);
        Assert.Equal(message, Assert.Throws<FormatException>(() => PortSpec.FromLong(fields)).Message);
    }

    [Fact]
    public void Long_syntax_renders_to_short_syntax_without_the_fields_short_syntax_cannot_express()
    {
        var port = PortSpec.FromLong(new Dictionary<string, string>
        {
            ["target"] = "80",
            ["published"] = "8080",
            ["host_ip"] = "::1",
            ["protocol"] = "udp",
            ["mode"] = "host",
            ["name"] = "web",
        });

        Assert.Equal("[::1]:8080:80/udp", port.ToShortString());
    }
}
