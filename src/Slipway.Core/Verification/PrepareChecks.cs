using System.Text.RegularExpressions;
using Slipway.Core.Diagnostics;

namespace Slipway.Core.Verification;

/// <summary>
/// The prepare stage's input checks: placeholder values, and keys the stack requires that are missing or
/// empty. Pure. Messages name keys and where they were set, never a value: a placeholder is reported by its kind.
/// </summary>
public static partial class PrepareChecks
{
    public const string MissingHint = "set it in the spec's config, or in one of its env-files (host-local, outside git)";

    /// <summary>Every problem, as error diagnostics: placeholders first (by origin), then missing and empty required keys.</summary>
    public static IReadOnlyList<Diagnostic> Check(IReadOnlyList<ConfigEntry> config, IReadOnlyList<RequiredVariable> required)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(required);

        // The last entry of a key wins, as in config.env (env-files come after the spec's config).
        var effective = new Dictionary<string, ConfigEntry>(StringComparer.Ordinal);
        foreach (var entry in config) effective[entry.Key] = entry;

        var problems = new List<Diagnostic>();
        foreach (var entry in effective.Values)
        {
            if (PlaceholderKind(entry.Value) is { } kind)
            {
                problems.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue,
                    $"config '{entry.Key}' still holds a placeholder ({kind})", entry.Origin, "replace it with the real value before deploying"));
            }
        }

        var missing = new List<RequiredVariable>();
        foreach (var variable in required.GroupBy(v => v.Name, StringComparer.Ordinal).Select(g => g.OrderBy(v => v.EmptyAllowed).First()))
        {
            if (!effective.TryGetValue(variable.Name, out var entry))
            {
                missing.Add(variable);
            }
            else if (entry.Value.Length == 0 && !variable.EmptyAllowed)
            {
                problems.Add(Diagnostic.Error(DiagnosticCodes.MissingKey,
                    $"config '{variable.Name}' is empty, but the stack requires a value (used at {variable.Location})", entry.Origin, MissingHint));
            }
        }

        foreach (var variable in missing.OrderBy(v => v.Name, StringComparer.Ordinal))
        {
            problems.Add(Diagnostic.Error(DiagnosticCodes.MissingKey,
                $"config '{variable.Name}' is required by the stack but not set", variable.Location, MissingHint));
        }

        return problems;
    }

    /// <summary>Verify checks that name a service the stack does not have.</summary>
    public static IReadOnlyList<Diagnostic> CheckVerifyServices(IReadOnlyList<VerifyCheck> checks, IReadOnlyCollection<string> services)
    {
        return checks
            .Where(c => !services.Contains(c.Service))
            .Select(c => Diagnostic.Error(DiagnosticCodes.UnknownReference, $"verify check names service '{c.Service}', which the stack does not define",
                c.Location, Yaml.DidYouMean.Hint(c.Service, services) ?? "services: " + string.Join(", ", services.Order(StringComparer.Ordinal))))
            .ToList();
    }

    /// <summary>
    /// Which placeholder <paramref name="value"/> looks like: <c>CHANGEME</c> (also change_me / change-me, anywhere),
    /// <c>&lt;...&gt;</c> (the whole value, or a <c>&lt;word-with-dash_or_underscore&gt;</c> part such as
    /// <c>postgres://app:&lt;db-password&gt;@db</c>), or <c>TODO</c> / <c>FIXME</c> (the whole value or its start, as in
    /// <c>TODO: set me</c>). Null when it looks real. Deliberately narrow: a false alarm blocks a deploy.
    /// </summary>
    public static string? PlaceholderKind(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.Trim();
        if (ChangeMe().IsMatch(text)) return "CHANGEME";
        if (WholeAngle().IsMatch(text) || PartAngle().IsMatch(text)) return "<...>";
        if (Todo().IsMatch(text)) return "TODO";
        return null;
    }

    [GeneratedRegex(@"(?<![A-Za-z])change[-_]?me(?![A-Za-z])", RegexOptions.IgnoreCase)]
    private static partial Regex ChangeMe();

    [GeneratedRegex(@"^<[^<>]+>\z")]
    private static partial Regex WholeAngle();

    [GeneratedRegex(@"<[A-Za-z][A-Za-z0-9]*([-_ ][A-Za-z0-9]+)+>")]
    private static partial Regex PartAngle();

    [GeneratedRegex(@"^(TODO|FIXME|todo|fixme|Todo|Fixme)($|[\s:!.])")]
    private static partial Regex Todo();
}
