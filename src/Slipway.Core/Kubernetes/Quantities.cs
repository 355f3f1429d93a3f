using System.Globalization;
using System.Text.RegularExpressions;

namespace Slipway.Core.Kubernetes;

/// <summary>Kubernetes resource quantities (<c>500m</c>, <c>2Gi</c>, <c>1.5</c>) and Docker's size strings (<c>512M</c> = 512 MiB).</summary>
internal static partial class Quantities
{
    public static bool IsValid(string text) => Quantity().IsMatch(text);

    /// <summary>A spec memory or storage value; null with <paramref name="error"/> when it is not a quantity or is a fraction of a byte.</summary>
    public static string? Memory(string text, out string? error)
    {
        error = null;
        text = text.Trim();
        if (text.EndsWith('m') && IsValid(text))
        {
            // In Kubernetes "m" is milli: 512m of memory is half a byte, never what was meant.
            error = $"'{text}' means {text[..^1]} thousandths of a byte in Kubernetes; write {text[..^1]}Mi (mebibytes) or {text[..^1]}M (megabytes)";
            return null;
        }

        if (IsValid(text)) return text;
        error = $"'{text}' is not a Kubernetes quantity (for example 512Mi, 2Gi, 500M)";
        return null;
    }

    public static string? Cpu(string text, out string? error)
    {
        error = null;
        text = text.Trim();
        if (IsValid(text) && !text.EndsWith('i')) return text;
        error = $"'{text}' is not a CPU amount (for example 0.5, 2, 500m)";
        return null;
    }

    /// <summary>A compose memory size (Docker units: b, k, m, g, with or without a trailing b, case-insensitive; binary).</summary>
    public static string? DockerMemory(string text, out string? error)
    {
        error = null;
        var match = DockerSize().Match(text.Trim());
        if (!match.Success)
        {
            error = $"'{text}' is not a memory size (for example 512M, 1g)";
            return null;
        }

        var number = decimal.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var unit = match.Groups[2].Value.ToLowerInvariant();
        var suffix = unit switch { "k" => "Ki", "m" => "Mi", "g" => "Gi", "t" => "Ti", _ => "" };
        if (number == decimal.Truncate(number)) return number.ToString("0", CultureInfo.InvariantCulture) + suffix;

        // Fractions go one unit down, where Kubernetes wants whole numbers for binary suffixes.
        var bytes = number * unit switch { "k" => 1024m, "m" => 1024m * 1024, "g" => 1024m * 1024 * 1024, "t" => 1024m * 1024 * 1024 * 1024, _ => 1m };
        return decimal.Truncate(bytes).ToString("0", CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^[+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+|[numkMGTPE]|[KMGTPE]i)?\z")]
    private static partial Regex Quantity();

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)\s*([bkmgtBKMGT]?)[bB]?\z")]
    private static partial Regex DockerSize();
}
