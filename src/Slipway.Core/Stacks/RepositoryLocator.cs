using Slipway.Core.Diagnostics;

namespace Slipway.Core.Stacks;

/// <summary>
/// A repository as stacks name it (laconic-so's <c>repos:</c>, <c>fetch-stack</c>): <c>host/org/repo[@ref]</c>, or
/// <c>org/repo[@ref]</c> meaning github.com. It is cloned into <c>&lt;dev root&gt;/&lt;repo&gt;</c>.
/// </summary>
public sealed record RepositoryLocator(string Host, string Org, string Name, string? Ref)
{
    public const string DefaultHost = "github.com";

    /// <summary><c>host/org/repo</c>, without the ref.</summary>
    public string FullName => $"{Host}/{Org}/{Name}";

    /// <summary>The folder under the dev root.</summary>
    public string DirectoryName => Name;

    public string HttpsUrl => $"https://{Host}/{Org}/{Name}";

    public string SshUrl => $"git@{Host}:{Org}/{Name}";

    public static RepositoryLocator Parse(string text) =>
        TryParse(text, out var locator) ? locator : throw new SlipwayException(FailureReason.InvalidInput,
            $"'{text}' is not a repository locator", "write host/org/repo[@ref], or org/repo[@ref] for github.com");

    public static bool TryParse(string text, out RepositoryLocator locator)
    {
        locator = null!;
        var value = text.Trim();
        string? reference = null;
        var at = value.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            reference = value[(at + 1)..];
            value = value[..at];
            if (reference.Length == 0 || reference.Any(char.IsWhiteSpace)) return false;
        }

        var parts = value.Split('/');
        if (parts.Any(p => p.Length == 0 || p is "." or ".." || p.Any(c => char.IsWhiteSpace(c) || c is ':' or '\\'))) return false;
        switch (parts.Length)
        {
            case 2:
                locator = new RepositoryLocator(DefaultHost, parts[0], parts[1], reference);
                return true;
            case 3:
                locator = new RepositoryLocator(parts[0], parts[1], parts[2], reference);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Whether an --include/--exclude entry names this repository: the full locator, <c>org/repo</c> (as if on its host)
    /// or the bare repo name, each with or without the ref. laconic-so compared only the full locator, so
    /// <c>--include cerc-io/registry-sdk</c> silently matched nothing.
    /// </summary>
    public bool Matches(string filter)
    {
        var value = filter.Trim();
        var at = value.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (value[(at + 1)..] != Ref) return false;
            value = value[..at];
        }

        return value == FullName || value == $"{Org}/{Name}" || value == Name;
    }

    public override string ToString() => Ref is null ? FullName : $"{FullName}@{Ref}";
}
