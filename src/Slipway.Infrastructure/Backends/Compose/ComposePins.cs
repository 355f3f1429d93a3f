using Slipway.Infrastructure.Deployments;

namespace Slipway.Infrastructure.Backends.Compose;

/// <summary>Image pins as a compose override: the rendered files themselves are never edited for a pin.</summary>
internal static class ComposePins
{
    /// <summary>
    /// The override YAML pinning every service whose image, as compose would run it, is a key of <paramref name="pins"/>;
    /// null when none is. A service a host-local override gives another image keeps that image.
    /// </summary>
    public static string? Override(DeploymentSession session, IReadOnlyDictionary<string, string> pins)
    {
        if (pins.Count == 0) return null;
        var pinned = session.ComposedServiceImages
            .Select(s => (Service: s.Key, Pin: ServicePin.Resolve(pins, s.Key, s.Value)))
            .Where(s => s.Pin is not null)
            .OrderBy(s => s.Service, StringComparer.Ordinal)
            .ToList();
        if (pinned.Count == 0) return null;
        var text = new System.Text.StringBuilder("# Written by slipway for one apply: image pins (stack image -> immutable reference).\nservices:\n");
        foreach (var (service, pin) in pinned)
        {
            text.Append("  ").Append(service).Append(":\n    image: \"").Append(pin!.Replace("\"", "\\\"", StringComparison.Ordinal)).Append("\"\n");
        }

        return text.ToString();
    }
}
