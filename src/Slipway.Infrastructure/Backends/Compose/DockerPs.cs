using System.Text.Json;
using System.Text.RegularExpressions;

namespace Slipway.Infrastructure.Backends.Compose;

/// <summary>Reads <c>docker ps --format '{{json .}}'</c> into service states, judging each container's condition.</summary>
internal static partial class DockerPs
{
    /// <summary>One state per container of the project; one-off containers (run-job) are left out.</summary>
    public static IReadOnlyList<ServiceState> Parse(string output)
    {
        var states = new List<ServiceState>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var item = JsonDocument.Parse(line).RootElement;
            var labels = Text(item, "Labels");
            if (Label(labels, "com.docker.compose.oneoff") == "True") continue;
            var status = Text(item, "Status");
            var health = status.Contains("(healthy)", StringComparison.Ordinal) ? "healthy"
                : status.Contains("(unhealthy)", StringComparison.Ordinal) ? "unhealthy"
                : status.Contains("(health: starting)", StringComparison.Ordinal) ? "starting"
                : null;
            var id = Text(item, "ID");
            var state = Text(item, "State");
            states.Add(new ServiceState(Label(labels, "com.docker.compose.service") ?? "", Text(item, "Names"), id[..Math.Min(12, id.Length)],
                state, health, ParsePorts(Text(item, "Ports"))) { Condition = ConditionOf(state, health) });
        }

        return states.OrderBy(s => s.Service, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Reads <c>docker inspect --format '{{.Id}} {{.State.StartedAt}}'</c> lines, keyed by the (short) id each full id
    /// starts with. The engine writes nanoseconds, more digits than a DateTimeOffset parses, so the fraction is cut to 7.
    /// </summary>
    public static IReadOnlyDictionary<string, DateTimeOffset> ParseStartedAt(string output, IReadOnlyList<string> ids)
    {
        var started = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.Split(' ') is not [var full, var at] || ids.FirstOrDefault(id => id.Length > 0 && full.StartsWith(id, StringComparison.Ordinal)) is not { } id) continue;
            var match = EngineTime().Match(at);
            if (!match.Success) continue;
            var fraction = match.Groups["fraction"].Value;
            var text = match.Groups["seconds"].Value + (fraction.Length > 8 ? fraction[..8] : fraction) + match.Groups["zone"].Value;
            if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var when))
            {
                started[id] = when;
            }
        }

        return started;
    }

    [GeneratedRegex(@"^(?<seconds>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?<fraction>\.\d+)?(?<zone>Z|[+-]\d\d:\d\d)$")]
    private static partial Regex EngineTime();

    /// <summary>An exited, dead or unhealthy container has spent its own restart and health-check budget: it failed.</summary>
    public static ServiceCondition ConditionOf(string state, string? health) =>
        health == "unhealthy" || state is "exited" or "dead" ? ServiceCondition.Failed
        : state == "running" && health is null or "healthy" ? ServiceCondition.Ready
        : ServiceCondition.Starting;

    private static string? Label(string labels, string name)
    {
        // Label values may hold commas (depends_on), so match the key at an entry start and stop at the next comma.
        var match = Regex.Match(labels, $"(?:^|,){Regex.Escape(name)}=([^,]*)");
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>
    /// The published ports of <c>0.0.0.0:32773->80/tcp, [::]:32773->80/tcp, 53/udp, 127.0.0.1:8000-8001->8000-8001/tcp</c>.
    /// An entry without a host side (<c>53/udp</c>) is only exposed (an image's EXPOSE): nothing on the host reaches it, so
    /// ps and status do not show it as a port.
    /// </summary>
    public static IReadOnlyList<PublishedPort> ParsePorts(string text)
    {
        var ports = new List<PublishedPort>();
        foreach (var entry in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var slash = entry.LastIndexOf('/');
            var protocol = slash < 0 ? "tcp" : entry[(slash + 1)..];
            var body = slash < 0 ? entry : entry[..slash];
            var arrow = body.IndexOf("->", StringComparison.Ordinal);
            if (arrow < 0) continue;

            var host = body[..arrow];
            var colon = host.LastIndexOf(':');
            var hostIp = colon < 0 ? "" : host[..colon].Trim('[', ']');
            var published = Range(host[(colon + 1)..]).ToList();
            var targets = Range(body[(arrow + 2)..]).ToList();
            for (var i = 0; i < targets.Count && published.Count > 0; i++)
            {
                ports.Add(new PublishedPort(hostIp, published[Math.Min(i, published.Count - 1)], targets[i], protocol));
            }
        }

        return ports;
    }

    private static IEnumerable<int> Range(string text)
    {
        var dash = text.IndexOf('-');
        if (dash < 0) return int.TryParse(text, out var single) ? [single] : [];
        return int.TryParse(text[..dash], out var start) && int.TryParse(text[(dash + 1)..], out var end) && end >= start
            ? Enumerable.Range(start, end - start + 1)
            : [];
    }

    private static string Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";
}
