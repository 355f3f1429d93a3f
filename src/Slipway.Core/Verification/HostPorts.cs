using System.Globalization;
using System.Net;
using Slipway.Core.Compose;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;

namespace Slipway.Core.Verification;

/// <summary>
/// A fixed host port a service publishes (<c>"8080:80"</c>): what prepare checks is free before anything starts.
/// <paramref name="At"/> is the spec's network.ports entry when the spec sets the service's ports, else the service in D's compose file.
/// </summary>
public sealed record WantedHostPort(string Service, string? HostIp, int Port, string Protocol, string PortText, SourceLocation At, bool InSpec)
{
    public string Describe() => $"{(HostIp is null ? "" : (HostIp.Contains(':') ? $"[{HostIp}]" : HostIp) + ":")}{Port.ToString(CultureInfo.InvariantCulture)}/{Protocol}";
}

/// <summary>A socket listening on this host (one row of <c>/proc/net/tcp</c>, <c>tcp6</c>, <c>udp</c> or <c>udp6</c>).</summary>
public sealed record HostListener(string Address, int Port, string Protocol, long Inode);

/// <summary>The pure half of prepare's host port check: which ports a deployment wants, and who on the host already has one.</summary>
public static class HostPorts
{
    /// <summary>
    /// Every fixed host port of <paramref name="services"/> (a published port of 0, none, or a range the engine picks
    /// one port from is left out: the engine chooses a free one). Located at the spec's network.ports entry when there is one.
    /// </summary>
    public static IReadOnlyList<WantedHostPort> Wanted(IEnumerable<ComposeService> services, IReadOnlyList<ServicePorts> specPorts)
    {
        var wanted = new List<WantedHostPort>();
        var seen = new HashSet<(string, string?, int, string)>();
        foreach (var service in services)
        {
            var spec = specPorts.FirstOrDefault(p => p.Service == service.Name);
            for (var i = 0; i < service.Ports.Count; i++)
            {
                var port = service.Ports[i];
                if (port.Published is not { } published || published.Start == 0) continue;
                if (!published.IsSingle && port.Target.IsSingle) continue;
                var text = i < service.PortTexts.Count ? service.PortTexts[i] : port.ToShortString();
                var (at, inSpec) = Locate(spec, port, service.Location);
                for (var p = published.Start; p <= published.End; p++)
                {
                    if (seen.Add((service.Name, port.HostIp, p, port.Protocol)))
                    {
                        wanted.Add(new WantedHostPort(service.Name, port.HostIp, p, port.Protocol, text, at, inSpec));
                    }
                }
            }
        }

        return wanted;
    }

    /// <summary>
    /// Pairs of wanted ports that collide with each other (two services, or two entries, on one host port): the second
    /// would fail at start whatever else runs on the host.
    /// </summary>
    public static IReadOnlyList<(WantedHostPort First, WantedHostPort Second)> Clashes(IReadOnlyList<WantedHostPort> wanted)
    {
        var clashes = new List<(WantedHostPort, WantedHostPort)>();
        for (var i = 0; i < wanted.Count; i++)
        {
            for (var j = i + 1; j < wanted.Count; j++)
            {
                var (a, b) = (wanted[i], wanted[j]);
                if (a.Port == b.Port && a.Protocol == b.Protocol && Collides(a.HostIp, b.HostIp ?? "")) clashes.Add((a, b));
            }
        }

        return clashes;
    }

    private static (SourceLocation At, bool InSpec) Locate(ServicePorts? spec, PortSpec port, SourceLocation service)
    {
        if (spec is null) return (service, false);
        foreach (var entry in spec.Ports)
        {
            if (PortSpec.TryParse(entry.Value, out var parsed, out _) && parsed.Published == port.Published && parsed.Target == port.Target
                && parsed.Protocol == port.Protocol && parsed.HostIp == port.HostIp)
            {
                return (entry.Location, true);
            }
        }

        return (spec.Location, true);
    }

    /// <summary>
    /// The listening rows of a <c>/proc/net/{tcp,tcp6,udp,udp6}</c> file: TCP in state LISTEN (0A), UDP bound and
    /// unconnected (07). Addresses are the kernel's little-endian hex words; a row that does not parse is skipped.
    /// </summary>
    public static IReadOnlyList<HostListener> ParseProcNet(string text, string protocol)
    {
        var listeners = new List<HostListener>();
        var state = protocol == "udp" ? "07" : "0A";
        foreach (var line in text.Split('\n').Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 10 || fields[3] != state) continue;
            var local = fields[1].Split(':');
            if (local.Length != 2 || !int.TryParse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port)) continue;
            if (!long.TryParse(fields[9], NumberStyles.None, CultureInfo.InvariantCulture, out var inode)) continue;
            if (Address(local[0]) is not { } address) continue;
            listeners.Add(new HostListener(address, port, protocol, inode));
        }

        return listeners;
    }

    private static string? Address(string hex)
    {
        if (hex.Length is not (8 or 32) || !hex.All(char.IsAsciiHexDigit)) return null;
        var bytes = new byte[hex.Length / 2];
        for (var word = 0; word < hex.Length / 8; word++)
        {
            // Each 32-bit word is printed in host (little-endian) order.
            var value = uint.Parse(hex.AsSpan(word * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            bytes[(word * 4) + 0] = (byte)value;
            bytes[(word * 4) + 1] = (byte)(value >> 8);
            bytes[(word * 4) + 2] = (byte)(value >> 16);
            bytes[(word * 4) + 3] = (byte)(value >> 24);
        }

        var ip = new IPAddress(bytes);
        return ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4().ToString() : ip.ToString();
    }

    /// <summary>
    /// Whether a bind to <paramref name="wanted"/> (null: every address) collides with one on <paramref name="held"/>:
    /// the same address, or either side is a wildcard (<c>0.0.0.0</c>, <c>::</c>, empty).
    /// </summary>
    public static bool Collides(string? wanted, string held)
    {
        static bool Any(string? a) => string.IsNullOrEmpty(a) || a is "0.0.0.0" or "::";
        if (Any(wanted) || Any(held)) return true;
        return IPAddress.TryParse(wanted, out var w) && IPAddress.TryParse(held, out var h) ? w.Equals(h) : string.Equals(wanted, held, StringComparison.OrdinalIgnoreCase);
    }
}
