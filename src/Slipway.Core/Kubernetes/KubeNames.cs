using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Slipway.Core.Kubernetes;

/// <summary>Kubernetes name rules (DNS labels, label keys and values) and a sanitizer that always yields a valid name.</summary>
internal static partial class KubeNames
{
    public const int MaxLabel = 63;

    /// <summary>RFC 1123 label: lowercase alphanumerics and '-', alphanumeric at both ends, at most 63 characters.</summary>
    public static bool IsDnsLabel(string name) => name.Length is > 0 and <= MaxLabel && DnsLabel().IsMatch(name);

    /// <summary>RFC 1035 label (Service names): a DNS label that starts with a letter.</summary>
    public static bool IsDns1035Label(string name) => IsDnsLabel(name) && char.IsAsciiLetterLower(name[0]);

    /// <summary>RFC 1123 subdomain: dot-separated labels, at most 253 characters.</summary>
    public static bool IsDnsSubdomain(string name) =>
        name.Length is > 0 and <= 253 && name.Split('.').All(p => p.Length > 0 && DnsLabel().IsMatch(p));

    /// <summary>Label value: empty, or at most 63 of <c>[A-Za-z0-9_.-]</c> with alphanumerics at both ends.</summary>
    public static bool IsLabelValue(string value) => value.Length == 0 || (value.Length <= MaxLabel && QualifiedName().IsMatch(value));

    /// <summary>Label and annotation keys: <c>[prefix/]name</c>, prefix a DNS subdomain, name like a label value (non-empty).</summary>
    public static bool IsQualifiedName(string key)
    {
        var slash = key.IndexOf('/');
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0 && !IsDnsSubdomain(key[..slash])) return false;
        return name.Length is > 0 and <= MaxLabel && QualifiedName().IsMatch(name);
    }

    /// <summary>ConfigMap and Secret keys: <c>[-._a-zA-Z0-9]+</c>, at most 253 characters, not "." or "..".</summary>
    public static bool IsConfigKey(string key) => key.Length is > 0 and <= 253 && key is not "." and not ".." && ConfigKey().IsMatch(key);

    /// <summary>
    /// A valid DNS label from any text: lowercased, other characters to '-', dashes collapsed and trimmed. Too long, it
    /// keeps a prefix and ends with a hash of the whole text, so distinct inputs stay distinct.
    /// </summary>
    public static string Label(string text, int max = MaxLabel)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            var keep = char.IsAsciiLetterOrDigit(c) ? c : '-';
            if (keep == '-' && (sb.Length == 0 || sb[^1] == '-')) continue;
            sb.Append(keep);
        }

        var label = sb.ToString().Trim('-');
        if (label.Length == 0) label = "x";
        if (label.Length <= max) return label;
        var hash = ShortHash(text);
        return label[..(max - hash.Length - 1)].TrimEnd('-') + "-" + hash;
    }

    /// <summary>A valid label value from any text (same approach as <see cref="Label"/>, keeping case, '_' and '.').</summary>
    public static string LabelValue(string text)
    {
        if (IsLabelValue(text)) return text;
        var cleaned = Regex.Replace(text, "[^A-Za-z0-9_.-]", "-").Trim('-', '_', '.');
        if (cleaned.Length == 0) cleaned = "x";
        if (cleaned.Length <= MaxLabel && IsLabelValue(cleaned)) return cleaned;
        var hash = ShortHash(text);
        return cleaned[..Math.Min(cleaned.Length, MaxLabel - hash.Length - 1)].TrimEnd('-', '_', '.') + "-" + hash;
    }

    /// <summary>Eight hex digits of SHA-256: enough to keep sanitized names apart, short enough for 63 characters.</summary>
    public static string ShortHash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8];

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?\\z")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?\\z")]
    private static partial Regex QualifiedName();

    [GeneratedRegex("^[-._a-zA-Z0-9]+\\z")]
    private static partial Regex ConfigKey();
}
