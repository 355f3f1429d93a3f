using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Slipway.Core.Compose;

/// <summary>A port or an inclusive range of ports, printed as <c>80</c> or <c>8000-8010</c>.</summary>
public sealed record PortRange(int Start, int End)
{
    public static PortRange Single(int port) => new(port, port);

    public bool IsSingle => Start == End;

    /// <summary>How many ports the range holds.</summary>
    public int Length => End - Start + 1;

    public override string ToString() => IsSingle
        ? Start.ToString(CultureInfo.InvariantCulture)
        : $"{Start.ToString(CultureInfo.InvariantCulture)}-{End.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>
/// One <c>ports:</c> entry of a compose service, parsed the way docker compose v2 parses it
/// (short syntax <c>[[HOST_IP:]PUBLISHED:]TARGET[/PROTOCOL]</c>, or the long syntax mapping).
/// Callers interpolate before parsing.
/// </summary>
/// <param name="HostIp">Host address without IPv6 brackets; null binds every address.</param>
/// <param name="Published">Host port(s); null lets the engine choose. A range with a single target is the
/// range the engine picks one host port from. 0 also lets the engine choose.</param>
/// <param name="Target">Container port(s).</param>
/// <param name="Protocol"><c>tcp</c>, <c>udp</c> or <c>sctp</c>.</param>
/// <param name="Mode">Long syntax only: <c>host</c> or <c>ingress</c>.</param>
/// <param name="Name">Long syntax only.</param>
/// <param name="AppProtocol">Long syntax only.</param>
public sealed record PortSpec(
    string? HostIp,
    PortRange? Published,
    PortRange Target,
    string Protocol = "tcp",
    string? Mode = null,
    string? Name = null,
    string? AppProtocol = null)
{
    public static readonly IReadOnlyList<string> Protocols = ["tcp", "udp", "sctp"];

    public static readonly IReadOnlyList<string> Modes = ["host", "ingress"];

    public static readonly IReadOnlyList<string> LongSyntaxFields =
        ["target", "published", "host_ip", "protocol", "mode", "name", "app_protocol"];

    /// <summary>Parses the short syntax; throws <see cref="FormatException"/> with the reason.</summary>
    public static PortSpec Parse(string text) =>
        TryParse(text, out var port, out var error) ? port : throw new FormatException(error);

    /// <summary>
    /// Parses the short syntax. Like docker, the text is split on ':' and everything before the last two
    /// parts is the host IP, so both <c>[::1]:8080:80</c> and <c>::1:8080:80</c> bind to <c>::1</c>.
    /// </summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out PortSpec? port, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        port = null;
        if (text.Length == 0)
        {
            error = "empty port specification";
            return false;
        }

        var parts = text.Split(':');
        var containerPart = parts[^1];
        var publishedPart = parts.Length >= 2 ? parts[^2] : "";
        var ipPart = parts.Length >= 3 ? string.Join(':', parts[..^2]) : "";

        var slash = containerPart.IndexOf('/');
        var targetText = slash < 0 ? containerPart : containerPart[..slash];
        var protocolText = slash < 0 ? "" : containerPart[(slash + 1)..];

        if (!TryProtocol(protocolText.Length == 0 ? "tcp" : protocolText, out var protocol, out error))
        {
            error = $"invalid port '{text}': {error}";
            return false;
        }

        string? hostIp = null;
        if (ipPart.Length > 0)
        {
            if (!TryHostIp(ipPart, allowBrackets: true, out hostIp, out error))
            {
                error = $"invalid port '{text}': {error}";
                return false;
            }
        }

        if (targetText.Length == 0)
        {
            error = $"invalid port '{text}': no container port";
            return false;
        }

        if (!TryRange(targetText, "container port", minimum: 1, out var target, out error))
        {
            error = $"invalid port '{text}': {error}";
            return false;
        }

        PortRange? published = null;
        if (publishedPart.Length > 0)
        {
            if (!TryRange(publishedPart, "published port", minimum: 0, out published, out error))
            {
                error = $"invalid port '{text}': {error}";
                return false;
            }
        }

        if (!CheckLengths(published, target, out error))
        {
            error = $"invalid port '{text}': {error}";
            return false;
        }

        port = new PortSpec(hostIp, published, target, protocol);
        return true;
    }

    /// <summary>Builds a port from the long syntax; throws <see cref="FormatException"/> with the reason.</summary>
    public static PortSpec FromLong(IReadOnlyDictionary<string, string> fields) =>
        TryFromLong(fields, out var port, out var error) ? port : throw new FormatException(error);

    /// <summary>
    /// Builds a port from the long syntax mapping (scalar values as strings). <c>target</c> is required and a
    /// single port; <c>published</c> may be a range. <c>x-*</c> extension fields are ignored, any other
    /// unknown field is an error.
    /// </summary>
    public static bool TryFromLong(
        IReadOnlyDictionary<string, string> fields,
        [NotNullWhen(true)] out PortSpec? port,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(fields);
        port = null;
        foreach (var key in fields.Keys.Order(StringComparer.Ordinal))
        {
            if (!LongSyntaxFields.Contains(key) && !key.StartsWith("x-", StringComparison.Ordinal))
            {
                error = $"unknown port field '{key}' (expected {string.Join(", ", LongSyntaxFields)})";
                return false;
            }
        }

        if (!fields.TryGetValue("target", out var targetText) || targetText.Length == 0)
        {
            error = "port field 'target' is required";
            return false;
        }

        if (!TryNumber(targetText, "target", minimum: 1, out var targetPort, out error))
        {
            return false;
        }

        PortRange? published = null;
        if (fields.TryGetValue("published", out var publishedText) && publishedText.Length > 0
            && !TryRange(publishedText, "published", minimum: 0, out published, out error))
        {
            return false;
        }

        string? hostIp = null;
        if (fields.TryGetValue("host_ip", out var ipText) && ipText.Length > 0
            && !TryHostIp(ipText, allowBrackets: false, out hostIp, out error))
        {
            return false;
        }

        var protocol = "tcp";
        if (fields.TryGetValue("protocol", out var protocolText) && protocolText.Length > 0
            && !TryProtocol(protocolText, out protocol, out error))
        {
            return false;
        }

        string? mode = null;
        if (fields.TryGetValue("mode", out var modeText) && modeText.Length > 0)
        {
            mode = modeText.ToLowerInvariant();
            if (!Modes.Contains(mode))
            {
                error = $"invalid port mode '{modeText}' (expected {string.Join(" or ", Modes)})";
                return false;
            }
        }

        var target = PortRange.Single(targetPort);
        if (!CheckLengths(published, target, out error))
        {
            return false;
        }

        port = new PortSpec(
            hostIp,
            published,
            target,
            protocol,
            mode,
            fields.GetValueOrDefault("name") is { Length: > 0 } name ? name : null,
            fields.GetValueOrDefault("app_protocol") is { Length: > 0 } app ? app : null);
        error = null;
        return true;
    }

    /// <summary>
    /// Canonical short syntax: <c>[HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL]</c>, IPv6 hosts in brackets,
    /// <c>/tcp</c> omitted. <see cref="Mode"/>, <see cref="Name"/> and <see cref="AppProtocol"/> have no
    /// short form and are dropped.
    /// </summary>
    public string ToShortString()
    {
        var host = HostIp is null ? "" : (HostIp.Contains(':') ? $"[{HostIp}]" : HostIp) + ":";
        var published = Published is null ? (HostIp is null ? "" : ":") : Published + ":";
        var protocol = Protocol == "tcp" ? "" : "/" + Protocol;
        return $"{host}{published}{Target}{protocol}";
    }

    public override string ToString() => ToShortString();

    private static bool CheckLengths(PortRange? published, PortRange target, [NotNullWhen(false)] out string? error)
    {
        // Docker allows a published range with a single target (the engine picks one host port in it),
        // but a target range needs a published range of the same length.
        if (published is not null && !target.IsSingle && published.Length != target.Length)
        {
            error = $"published port range {published} ({published.Length} ports) does not match container port range {target} ({target.Length} ports)";
            return false;
        }

        error = null;
        return true;
    }

    private static bool TryProtocol(string text, [NotNullWhen(true)] out string? protocol, [NotNullWhen(false)] out string? error)
    {
        protocol = text.ToLowerInvariant();
        if (Protocols.Contains(protocol))
        {
            error = null;
            return true;
        }

        protocol = null;
        error = $"invalid protocol '{text}' (expected {string.Join(", ", Protocols)})";
        return false;
    }

    private static bool TryHostIp(string text, bool allowBrackets, out string? ip, [NotNullWhen(false)] out string? error)
    {
        ip = null;
        var candidate = text;
        if (allowBrackets && candidate.StartsWith('['))
        {
            if (!candidate.EndsWith(']'))
            {
                error = $"invalid host IP '{text}': missing ']'";
                return false;
            }

            candidate = candidate[1..^1];
        }

        if (candidate.Length == 0 || !IsIpAddress(candidate))
        {
            error = $"invalid host IP '{text}'";
            return false;
        }

        ip = candidate;
        error = null;
        return true;
    }

    /// <summary>
    /// Strict like Go's net.ParseIP: dotted-quad IPv4 (no shorthand like "127.1", no leading zeros) or IPv6
    /// without a zone.
    /// </summary>
    private static bool IsIpAddress(string text)
    {
        if (text.Contains(':'))
        {
            return text.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.')
                && IPAddress.TryParse(text, out var v6)
                && v6.AddressFamily == AddressFamily.InterNetworkV6;
        }

        var octets = text.Split('.');
        return octets.Length == 4 && octets.All(o =>
            o.Length is >= 1 and <= 3
            && o.All(char.IsAsciiDigit)
            && (o.Length == 1 || o[0] != '0')
            && int.Parse(o, CultureInfo.InvariantCulture) <= 255);
    }

    private static bool TryRange(string text, string what, int minimum, [NotNullWhen(true)] out PortRange? range, [NotNullWhen(false)] out string? error)
    {
        range = null;
        var dash = text.IndexOf('-');
        if (dash < 0)
        {
            if (!TryNumber(text, what, minimum, out var single, out error))
            {
                return false;
            }

            range = PortRange.Single(single);
            return true;
        }

        if (!TryNumber(text[..dash], what, minimum, out var start, out error)
            || !TryNumber(text[(dash + 1)..], what, minimum, out var end, out error))
        {
            error = $"invalid {what} range '{text}': {error}";
            return false;
        }

        if (end < start)
        {
            error = $"invalid {what} range '{text}': the end is below the start";
            return false;
        }

        range = new PortRange(start, end);
        return true;
    }

    private static bool TryNumber(string text, string what, int minimum, out int value, [NotNullWhen(false)] out string? error)
    {
        if (text.Length is 0 or > 5 || !text.All(char.IsAsciiDigit))
        {
            value = 0;
            error = $"invalid {what} '{text}': not a number";
            return false;
        }

        value = int.Parse(text, CultureInfo.InvariantCulture);
        if (value < minimum || value > 65535)
        {
            error = $"invalid {what} '{text}': must be between {minimum} and 65535";
            return false;
        }

        error = null;
        return true;
    }
}
