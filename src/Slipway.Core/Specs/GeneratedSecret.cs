using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Slipway.Core.Specs;

/// <summary>
/// <c>$generate:hex:N$</c> and <c>$generate:base64:N$</c> config values: N random bytes, generated once at
/// deploy create and then kept (laconic-so regenerates them on every update, rotating passwords).
/// </summary>
public static partial class GeneratedSecret
{
    public const int MaxBytes = 1024;

    public static bool ContainsToken(string value) => value.Contains("$generate:", StringComparison.Ordinal);

    public static IEnumerable<string> Validate(string value)
    {
        if (value.Split("$generate:").Length - 1 != Token().Count(value))
        {
            yield return "a '$generate:' token must read $generate:hex:N$ or $generate:base64:N$";
            yield break;
        }

        foreach (Match match in Token().Matches(value))
        {
            var bytes = int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (bytes is < 1 or > MaxBytes)
            {
                yield return $"'{match.Value}' asks for {bytes} bytes; give 1 to {MaxBytes}";
            }
        }

    }

    /// <summary>Replaces each token with fresh random bytes rendered as asked.</summary>
    public static string Generate(string value, Func<int, byte[]>? random = null)
    {
        random ??= RandomNumberGenerator.GetBytes;
        return Token().Replace(value, m =>
        {
            var bytes = random(int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
            return m.Groups[1].Value == "hex" ? Convert.ToHexStringLower(bytes) : Convert.ToBase64String(bytes);
        });
    }

    [GeneratedRegex(@"\$generate:(hex|base64):(\d{1,6})\$")]
    private static partial Regex Token();
}
