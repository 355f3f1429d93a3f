using System.Net;
using Slipway.Core.Diagnostics;
using Slipway.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Distribution;

/// <summary>
/// Where <c>slipway update</c> gets a release: <c>distribution-url</c> (a .tar.gz of a Slipway build folder, or one
/// executable) and, optionally, <c>distribution-sha256</c>, from <c>~/.slipway/config.yml</c> or laconic-so's
/// <c>~/.laconic-so/config.yml</c>.
/// </summary>
/// <param name="Sha256">Lowercase hex; null: the checksum is read from <c>&lt;distribution-url&gt;.sha256</c>.</param>
public sealed record DistributionConfig(Uri Url, string ConfigFile, SourceLocation UrlLocation, string? Sha256)
{
    public static readonly IReadOnlyList<string> Keys = ["distribution-url", "distribution-sha256"];

    /// <summary>Null when the file sets no distribution-url (errors go to <paramref name="diagnostics"/>).</summary>
    /// <param name="laconic">laconic-so's file: keys Slipway does not read are laconic-so's business, not errors.</param>
    public static DistributionConfig? Parse(string text, string file, bool laconic, DiagnosticBag diagnostics)
    {
        var root = YamlDocuments.Load(text, file, diagnostics);
        if (root is null || YamlMap.IsNullNode(root)) return null;
        if (root is not YamlMappingNode mapping)
        {
            diagnostics.Error(DiagnosticCodes.WrongType, $"{file} must be a mapping (distribution-url: URL)", root.At(file));
            return null;
        }

        var map = new YamlMap(mapping, file, diagnostics, file);
        if (!laconic) map.RejectUnknownKeys(Keys);
        var value = map.String("distribution-url");
        if (value is null) return null;
        var at = map.ValueLocation("distribution-url")!;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            diagnostics.Error(DiagnosticCodes.InvalidValue, $"distribution-url '{value}' is not an https:// URL", at);
            return null;
        }

        if (url.Scheme == "http" && !IsLoopback(url.Host))
        {
            diagnostics.Error(DiagnosticCodes.InvalidValue, $"distribution-url '{value}' is plain http to {url.Host}: a release is downloaded over https (plain http only from this machine)", at);
            return null;
        }

        var sha = map.String("distribution-sha256")?.Trim().ToLowerInvariant();
        if (sha is not null && (sha.Length != 64 || !sha.All(Uri.IsHexDigit)))
        {
            diagnostics.Error(DiagnosticCodes.InvalidValue, "distribution-sha256 is not a SHA-256 (64 hex digits)", map.ValueLocation("distribution-sha256")!);
            return null;
        }

        return new DistributionConfig(url, file, at, sha);
    }

    /// <summary>The first word of a <c>.sha256</c> file (<c>sha256sum</c>'s "HEX  NAME" or the bare digest); null when it is not one.</summary>
    public static string? ParseChecksumFile(string text)
    {
        var word = text.Split([' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.ToLowerInvariant();
        return word is { Length: 64 } && word.All(Uri.IsHexDigit) ? word : null;
    }

    private static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
