namespace Slipway.Infrastructure.Backends;

/// <summary>
/// A pin of one service (<c>restart --image api=IMAGE</c> on compose or swarm), kept among the image pins under
/// <c>@SERVICE</c> (no image reference starts with '@'). It wins over a pin of the service's stack image, so services
/// sharing that image keep theirs.
/// </summary>
internal static class ServicePin
{
    public static string Key(string service) => "@" + service;

    /// <summary>The image <paramref name="service"/> runs under <paramref name="pins"/>: its own pin, else its stack image's, else null.</summary>
    public static string? Resolve(IReadOnlyDictionary<string, string> pins, string service, string stackImage) =>
        pins.TryGetValue(Key(service), out var own) ? own : pins.TryGetValue(stackImage, out var shared) ? shared : null;
}
