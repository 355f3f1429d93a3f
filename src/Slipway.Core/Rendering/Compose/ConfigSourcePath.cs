using Slipway.Core.Compose;

namespace Slipway.Core.Rendering.Compose;

/// <summary>
/// A config bind's source (<c>../config/${NETWORK:-mainnet}/genesis.json</c>) as compose will read it: interpolated
/// from the deployment's config (the spec's <c>config</c> and <c>env-files</c>) with compose's own defaults.
/// </summary>
internal static class ConfigSourcePath
{
    /// <summary>
    /// The interpolated source; null when it depends on a variable the config does not set and that has no default
    /// (<paramref name="unknown"/> names them), so which file it names is only known where compose runs.
    /// </summary>
    public static string? Expand(string source, Func<string, string?> lookup, out IReadOnlyList<string> unknown)
    {
        unknown = [];
        if (!source.Contains('$')) return source;
        var result = Interpolation.Apply(source, lookup);
        if (result.Succeeded && result.Unset.Count == 0) return result.Value;
        unknown = result.Unset.Count > 0 ? result.Unset : [.. result.Variables.Where(v => lookup(v) is null)];
        return null;
    }

    /// <summary>The part of <paramref name="source"/> before its first variable, cut after its last '/': the folders that are fixed.</summary>
    public static string FixedFolder(string source)
    {
        var dollar = source.IndexOf('$', StringComparison.Ordinal);
        var prefix = dollar < 0 ? source : source[..dollar];
        var slash = prefix.LastIndexOf('/');
        return slash < 0 ? "." : prefix[..slash];
    }
}
