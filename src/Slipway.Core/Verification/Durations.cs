using System.Globalization;
using System.Text.RegularExpressions;

namespace Slipway.Core.Verification;

/// <summary>Durations as the spec writes them: <c>90</c> (seconds), <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>1m30s</c>.</summary>
public static partial class Durations
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            duration = TimeSpan.FromSeconds(seconds);
            return true;
        }

        var match = Pattern().Match(text);
        if (!match.Success) return false;
        foreach (Capture capture in match.Groups["part"].Captures)
        {
            var part = PartPattern().Match(capture.Value);
            if (!long.TryParse(part.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 1_000_000) return false;
            duration += part.Groups["unit"].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                _ => TimeSpan.FromHours(n),
            };
        }

        return true;
    }

    /// <summary>Short form for messages: <c>30s</c>, <c>1m30s</c>, <c>500ms</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.FromSeconds(1)) return $"{(int)duration.TotalMilliseconds}ms";
        if (duration.Milliseconds != 0) return $"{duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s";
        var parts = new List<string>();
        if ((int)duration.TotalHours > 0) parts.Add($"{(int)duration.TotalHours}h");
        if (duration.Minutes > 0) parts.Add($"{duration.Minutes}m");
        if (duration.Seconds > 0) parts.Add($"{duration.Seconds}s");
        return string.Concat(parts);
    }

    [GeneratedRegex(@"^(?<part>\d+(ms|h|m|s))+\z")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^(?<n>\d+)(?<unit>ms|h|m|s)\z")]
    private static partial Regex PartPattern();
}
