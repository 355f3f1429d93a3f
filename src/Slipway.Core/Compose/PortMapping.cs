namespace Slipway.Core.Compose;

/// <summary>Applies a <see cref="PortMappingMode"/> to one port.</summary>
internal static class PortMapping
{
    /// <summary>Lowest host port a fixed-random recipe picks (laconic-so uses randint(20000, 50000)).</summary>
    public const int RandomMin = 20000;

    /// <summary>Highest host port a fixed-random recipe picks, inclusive.</summary>
    public const int RandomMax = 50000;

    /// <summary>
    /// Returns the new short syntax for <paramref name="port"/>. The host IP and published port come from the
    /// recipe, the target and protocol are kept (<c>53/udp</c> under <c>any-same</c> gives
    /// <c>0.0.0.0:53:53/udp</c>). A target range maps to a host range of the same length. Random host ports
    /// never repeat a port in <paramref name="used"/>, and are added to it, so pass the same set for every
    /// port of a deployment (pre-filled with ports that are already taken, if any).
    /// </summary>
    public static string Apply(PortSpec port, PortMappingMode mode, Random random, ISet<int> used)
    {
        ArgumentNullException.ThrowIfNull(port);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(used);
        return mode switch
        {
            PortMappingMode.AnyVariableRandom => port.ToShortString(),
            PortMappingMode.LocalhostSame => Map(port, "127.0.0.1", port.Target),
            PortMappingMode.AnySame => Map(port, "0.0.0.0", port.Target),
            PortMappingMode.LocalhostFixedRandom => Map(port, "127.0.0.1", PickRandom(port.Target.Length, random, used)),
            PortMappingMode.AnyFixedRandom => Map(port, "0.0.0.0", PickRandom(port.Target.Length, random, used)),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
        };
    }

    private static string Map(PortSpec port, string hostIp, PortRange published) =>
        new PortSpec(hostIp, published, port.Target, port.Protocol).ToShortString();

    private static PortRange PickRandom(int length, Random random, ISet<int> used)
    {
        var lastStart = RandomMax - length + 1;
        if (lastStart < RandomMin)
        {
            // The operator's input (a compose port range), not a bug: invalid input, with the way out.
            throw new Diagnostics.SlipwayException(Diagnostics.FailureReason.InvalidInput,
                $"a range of {length} ports does not fit between {RandomMin} and {RandomMax}", "use --map-ports-to-host localhost-same or any-same for it, or a shorter port range");
        }

        // A few random draws find a free range almost always; the scan keeps the result guaranteed
        // (and deterministic for a seeded Random) when the space is crowded.
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var start = random.Next(RandomMin, lastStart + 1);
            if (IsFree(start, length, used))
            {
                return Take(start, length, used);
            }
        }

        var offset = random.Next(0, lastStart - RandomMin + 1);
        for (var k = 0; k <= lastStart - RandomMin; k++)
        {
            var start = RandomMin + ((offset + k) % (lastStart - RandomMin + 1));
            if (IsFree(start, length, used))
            {
                return Take(start, length, used);
            }
        }

        throw new Diagnostics.SlipwayException(Diagnostics.FailureReason.InvalidInput,
            $"no free range of {length} host ports left between {RandomMin} and {RandomMax}", "use --map-ports-to-host localhost-same or any-same, or fewer or shorter port ranges");
    }

    private static bool IsFree(int start, int length, ISet<int> used)
    {
        for (var p = start; p < start + length; p++)
        {
            if (used.Contains(p))
            {
                return false;
            }
        }

        return true;
    }

    private static PortRange Take(int start, int length, ISet<int> used)
    {
        for (var p = start; p < start + length; p++)
        {
            used.Add(p);
        }

        return new PortRange(start, start + length - 1);
    }
}
