using System.Text.RegularExpressions;
using Slipway.Core.Compose;
using Slipway.Core.Diagnostics;
using Slipway.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Verification;

/// <summary>A variable a compose file needs set: <c>${VAR}</c> / <c>$VAR</c> (no default) or <c>${VAR:?msg}</c> / <c>${VAR?msg}</c>.</summary>
/// <param name="EmptyAllowed">True only for <c>${VAR?msg}</c>, which accepts an empty value.</param>
public sealed record RequiredVariable(string Name, SourceLocation Location, bool EmptyAllowed = false);

/// <summary>Finds the variables a stack's compose files require, from the same interpolation compose does.</summary>
public static partial class RequiredVariables
{
    /// <summary>Every required variable of one compose file's scalars, first reference of each name only.</summary>
    public static IReadOnlyList<RequiredVariable> Find(ComposeFile file) => Find(file.Root, file.Path);

    public static IReadOnlyList<RequiredVariable> Find(YamlNode root, string file)
    {
        var found = new Dictionary<string, RequiredVariable>(StringComparer.Ordinal);
        foreach (var scalar in YamlDocuments.Scalars(root))
        {
            if (scalar.Value is not { } text || !text.Contains('$')) continue;
            var at = scalar.At(file);
            foreach (var variable in InText(text, at))
            {
                // A name that is once required non-empty stays so.
                if (!found.TryGetValue(variable.Name, out var known) || (known.EmptyAllowed && !variable.EmptyAllowed))
                {
                    found[variable.Name] = known is null ? variable : known with { EmptyAllowed = false };
                }
            }
        }

        return [.. found.Values];
    }

    /// <summary>
    /// The variables <paramref name="text"/> requires. Evaluated with every variable unset: what then substitutes a blank
    /// (no default) or fails (<c>:?</c>, <c>?</c>) is required. Inside a default only the parts used when the outer
    /// variable is unset count, which is what compose would evaluate.
    /// </summary>
    public static IReadOnlyList<RequiredVariable> InText(string text, SourceLocation location)
    {
        var result = Interpolation.Apply(text, static _ => null);
        var list = result.Unset.Select(name => new RequiredVariable(name, location)).ToList();
        foreach (var error in result.Errors)
        {
            var match = RequiredMessage().Match(error.Message);
            if (!match.Success) continue;
            var name = match.Groups["name"].Value;
            var emptyAllowed = match.Groups["what"].Value == "is unset";
            list.RemoveAll(v => v.Name == name);
            list.Add(new RequiredVariable(name, location, emptyAllowed));
        }

        return list;
    }


    // Interpolation reports required variables as "required variable 'X' is unset or empty[: msg]"; a test pins this.
    [GeneratedRegex(@"^required variable '(?<name>[^']+)' (?<what>is unset or empty|is unset)")]
    private static partial Regex RequiredMessage();
}
