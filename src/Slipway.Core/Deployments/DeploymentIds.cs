using System.Security.Cryptography;

namespace Slipway.Core.Deployments;

/// <summary>
/// Sortable, lowercase ids: <c>slipway-</c> + seven base36 digits of tenths of a second since 2024-01-01 + two random base36 characters.
/// Lowercase because they become compose project names, kind cluster names and Kubernetes name prefixes.
/// </summary>
public static class DeploymentIds
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
    /// <summary>Seven base36 digits of tenths of a second last about 248 years from the epoch.</summary>
    private const int TimeDigits = 7;

    private static readonly DateTimeOffset Epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static string New(DateTimeOffset now, Func<int, int>? random = null)
    {
        random ??= RandomNumberGenerator.GetInt32;
        var ticks = Math.Max(0, (long)(now - Epoch).TotalMilliseconds / 100);
        // Fixed width, so ids keep sorting by time when the count gains a digit (unpadded, that happens in late 2030).
        return SlipwayPrefix + Base36(ticks).PadLeft(TimeDigits, '0') + Alphabet[random(36)] + Alphabet[random(36)];
    }

    public const string SlipwayPrefix = "slipway-";

    /// <summary>laconic-so's ids (and so its compose project names) start with this.</summary>
    public const string LaconicPrefix = "laconic-";

    public const int MaxLength = 40;

    /// <summary>A deployment-id: it names a compose project and prefixes Kubernetes objects.</summary>
    public static bool IsValid(string id) =>
        id.Length is > 0 and <= MaxLength && id.All(c => Alphabet.Contains(c) || c is '-' or '_') && char.IsAsciiLetterOrDigit(id[0]);

    /// <summary>A cluster-id: like a deployment-id, and it may hold a '.' because on k8s-kind it is a kind cluster's name.</summary>
    public static bool IsValidClusterId(string id) =>
        id.Length is > 0 and <= MaxLength && id.All(c => Alphabet.Contains(c) || c is '-' or '_' or '.') && char.IsAsciiLetterOrDigit(id[0]);

    private static string Base36(long value)
    {
        if (value == 0) return "0";
        var chars = new Stack<char>();
        while (value > 0)
        {
            chars.Push(Alphabet[(int)(value % 36)]);
            value /= 36;
        }

        return new string(chars.ToArray());
    }
}
