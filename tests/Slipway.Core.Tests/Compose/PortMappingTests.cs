using System.Text.RegularExpressions;
using Slipway.Core.Compose;

namespace Slipway.Core.Tests.Compose;

public sealed class PortMappingTests
{
    [Theory]
    [InlineData("any-variable-random", PortMappingMode.AnyVariableRandom)]
    [InlineData("localhost-same", PortMappingMode.LocalhostSame)]
    [InlineData("any-same", PortMappingMode.AnySame)]
    [InlineData("localhost-fixed-random", PortMappingMode.LocalhostFixedRandom)]
    [InlineData("any-fixed-random", PortMappingMode.AnyFixedRandom)]
    public void Cli_names_parse_to_their_modes(string name, PortMappingMode mode)
    {
        Assert.Equal(mode, PortMappingModes.Parse(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("LocalhostSame")]
    [InlineData("Localhost-Same")]
    [InlineData("k8s-clusterip-same")]
    [InlineData("random")]
    public void Unknown_name_is_an_error_listing_the_valid_ones(string name)
    {
        Assert.False(PortMappingModes.TryParse(name, out _, out var error));
        Assert.Equal(
            $"unknown port mapping '{name}' (expected one of: any-variable-random, localhost-same, any-same, localhost-fixed-random, any-fixed-random)",
            error);
        Assert.Throws<FormatException>(() => PortMappingModes.Parse(name));
    }

    [Fact]
    public void Default_is_any_variable_random()
    {
        Assert.Equal(PortMappingMode.AnyVariableRandom, PortMappingModes.Default);
    }

    [Theory]
    [InlineData("80", PortMappingMode.AnyVariableRandom, "80")]
    [InlineData("8080:80", PortMappingMode.AnyVariableRandom, "8080:80")]
    [InlineData("127.0.0.1:8080:80/udp", PortMappingMode.AnyVariableRandom, "127.0.0.1:8080:80/udp")]
    [InlineData("80", PortMappingMode.LocalhostSame, "127.0.0.1:80:80")]
    [InlineData("8080:80", PortMappingMode.LocalhostSame, "127.0.0.1:80:80")]
    [InlineData("10.0.0.1:8080:80", PortMappingMode.LocalhostSame, "127.0.0.1:80:80")]
    [InlineData("53/udp", PortMappingMode.LocalhostSame, "127.0.0.1:53:53/udp")]
    [InlineData("80", PortMappingMode.AnySame, "0.0.0.0:80:80")]
    [InlineData("53/udp", PortMappingMode.AnySame, "0.0.0.0:53:53/udp")]
    [InlineData("9/sctp", PortMappingMode.AnySame, "0.0.0.0:9:9/sctp")]
    [InlineData("8000-8010", PortMappingMode.AnySame, "0.0.0.0:8000-8010:8000-8010")]
    [InlineData("[::1]:9090-9091:8080-8081", PortMappingMode.LocalhostSame, "127.0.0.1:8080-8081:8080-8081")]
    public void Fixed_recipes_rewrite_the_host_side_from_the_container_port(string text, PortMappingMode mode, string expected)
    {
        var result = PortMapping.Apply(PortSpec.Parse(text), mode, new Random(1), new HashSet<int>());

        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("80", PortMappingMode.LocalhostFixedRandom, @"127\.0\.0\.1:(\d+):80")]
    [InlineData("80", PortMappingMode.AnyFixedRandom, @"0\.0\.0\.0:(\d+):80")]
    [InlineData("53/udp", PortMappingMode.AnyFixedRandom, @"0\.0\.0\.0:(\d+):53/udp")]
    [InlineData("8080:80", PortMappingMode.LocalhostFixedRandom, @"127\.0\.0\.1:(\d+):80")]
    public void Random_recipes_pick_a_host_port_between_20000_and_50000(string text, PortMappingMode mode, string pattern)
    {
        var used = new HashSet<int>();

        var result = PortMapping.Apply(PortSpec.Parse(text), mode, new Random(7), used);

        var match = Regex.Match(result, $"^{pattern}$");
        Assert.True(match.Success, result);
        var hostPort = int.Parse(match.Groups[1].Value);
        Assert.InRange(hostPort, 20000, 50000);
        Assert.Equal([hostPort], used);
    }

    [Fact]
    public void Random_recipe_maps_a_range_to_a_same_length_host_range()
    {
        var used = new HashSet<int>();

        var result = PortMapping.Apply(PortSpec.Parse("8000-8010/udp"), PortMappingMode.AnyFixedRandom, new Random(3), used);

        var port = PortSpec.Parse(result);
        Assert.Equal("0.0.0.0", port.HostIp);
        Assert.Equal(11, port.Published!.Length);
        Assert.InRange(port.Published.Start, 20000, 50000);
        Assert.InRange(port.Published.End, 20000, 50000);
        Assert.Equal(new PortRange(8000, 8010), port.Target);
        Assert.Equal("udp", port.Protocol);
        Assert.Equal(11, used.Count);
    }

    [Fact]
    public void Random_host_ports_never_repeat_within_one_set_of_used_ports()
    {
        var used = new HashSet<int>();
        var random = new Random(42);
        var hostPorts = new List<int>();

        for (var i = 0; i < 2000; i++)
        {
            var mapped = PortSpec.Parse(PortMapping.Apply(PortSpec.Parse("80"), PortMappingMode.AnyFixedRandom, random, used));
            hostPorts.Add(mapped.Published!.Start);
        }

        Assert.Equal(hostPorts.Count, hostPorts.Distinct().Count());
    }

    [Fact]
    public void Random_host_port_avoids_ports_already_taken()
    {
        var used = Enumerable.Range(20000, 30000).ToHashSet();

        var result = PortMapping.Apply(PortSpec.Parse("80"), PortMappingMode.LocalhostFixedRandom, new Random(5), used);

        Assert.Equal("127.0.0.1:50000:80", result);
    }

    [Fact]
    public void Random_range_avoids_overlapping_a_port_already_taken()
    {
        // Only 49990-50000 holds 11 free consecutive ports.
        var used = Enumerable.Range(20000, 29990).ToHashSet();

        var result = PortMapping.Apply(PortSpec.Parse("8000-8010"), PortMappingMode.AnyFixedRandom, new Random(5), used);

        Assert.Equal("0.0.0.0:49990-50000:8000-8010", result);
    }

    [Fact]
    public void Exhausted_random_space_is_an_error()
    {
        var used = Enumerable.Range(20000, 30001).ToHashSet();

        var error = Assert.Throws<Slipway.Core.Diagnostics.SlipwayException>(
            () => PortMapping.Apply(PortSpec.Parse("80"), PortMappingMode.AnyFixedRandom, new Random(5), used));
        Assert.Equal(Slipway.Core.Diagnostics.FailureReason.InvalidInput, error.Reason);
    }

    [Fact]
    public void Same_seed_gives_the_same_mapping()
    {
        string Map() => PortMapping.Apply(PortSpec.Parse("80"), PortMappingMode.AnyFixedRandom, new Random(99), new HashSet<int>());

        Assert.Equal(Map(), Map());
    }

    [Fact]
    public void A_port_range_too_long_for_a_fixed_random_recipe_is_invalid_input_not_a_bug()
    {
        var error = Assert.Throws<Slipway.Core.Diagnostics.SlipwayException>(() =>
            PortMapping.Apply(PortSpec.Parse("1000-40000"), PortMappingMode.LocalhostFixedRandom, new Random(1), new HashSet<int>()));

        Assert.Equal(Slipway.Core.Diagnostics.FailureReason.InvalidInput, error.Reason);
        Assert.Contains("does not fit between 20000 and 50000", error.Message);
    }
}
