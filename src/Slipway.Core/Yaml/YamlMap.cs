using Slipway.Core.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Yaml;

/// <summary>
/// Strict, diagnostic-collecting access to one YAML mapping. Reading never throws: a value of the wrong
/// shape is reported and read as absent, so one pass finds every error of a file.
/// </summary>
internal sealed class YamlMap
{
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> _entries = new(StringComparer.Ordinal);

    public YamlMap(YamlMappingNode node, string file, DiagnosticBag diagnostics, string context)
    {
        Node = node;
        File = file;
        Diagnostics = diagnostics;
        Context = context;
        foreach (var (key, value) in node.Children)
        {
            if (key is YamlScalarNode scalar && scalar.Value is not null)
            {
                _entries[scalar.Value] = (scalar, value);
            }
            else
            {
                diagnostics.Error(DiagnosticCodes.WrongType, $"{context}: keys must be plain strings", key.At(file));
            }
        }
    }

    public YamlMappingNode Node { get; }

    public string File { get; }

    public DiagnosticBag Diagnostics { get; }

    /// <summary>Where this mapping sits, for messages: "spec", "service 'web'".</summary>
    public string Context { get; }

    public IEnumerable<string> Keys => _entries.Keys;

    public SourceLocation Location => Node.At(File);

    public bool Has(string key) => _entries.ContainsKey(key);

    public YamlNode? Get(string key) => _entries.TryGetValue(key, out var e) ? e.Value : null;

    public SourceLocation? KeyLocation(string key) => _entries.TryGetValue(key, out var e) ? e.Key.At(File) : null;

    public SourceLocation? ValueLocation(string key) => _entries.TryGetValue(key, out var e) ? e.Value.At(File) : null;

    /// <summary>Reports every key not in <paramref name="known"/>, with the nearest known key as a hint.</summary>
    public void RejectUnknownKeys(IReadOnlyCollection<string> known, Func<string, bool>? allow = null)
    {
        Diagnostics.NoteCheckedMapping(Location, known);
        foreach (var (name, (key, _)) in _entries)
        {
            if (!known.Contains(name) && !(allow?.Invoke(name) ?? false))
            {
                Diagnostics.Error(DiagnosticCodes.UnknownKey, $"unknown key '{name}' in {Context}", key.At(File), DidYouMean.Hint(name, known));
            }
        }
    }

    /// <summary>A scalar as text; null when absent or explicitly null (<c>key:</c> or <c>key: ~</c>).</summary>
    public string? String(string key)
    {
        if (!_entries.TryGetValue(key, out var e)) return null;
        return ScalarText(e.Value, $"'{key}' in {Context}");
    }

    public string? ScalarText(YamlNode node, string what)
    {
        if (node is YamlScalarNode scalar)
        {
            return IsNull(scalar) ? null : scalar.Value;
        }

        Diagnostics.Error(DiagnosticCodes.WrongType, $"{what} must be a single value, not a {Describe(node)}", node.At(File));
        return null;
    }

    public int? Int(string key, int min = int.MinValue, int max = int.MaxValue)
    {
        var text = String(key);
        if (text is null) return null;
        if (int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Diagnostics.Error(DiagnosticCodes.WrongType, $"'{key}' in {Context} must be a whole number{(min > int.MinValue ? $" from {min}" : "")}{(max < int.MaxValue ? $" to {max}" : "")}, not '{text}'", ValueLocation(key));
        return null;
    }

    public bool? Bool(string key)
    {
        var text = String(key);
        if (text is null) return null;
        switch (text)
        {
            case "true" or "True" or "TRUE" or "yes" or "on":
                return true;
            case "false" or "False" or "FALSE" or "no" or "off":
                return false;
            default:
                Diagnostics.Error(DiagnosticCodes.WrongType, $"'{key}' in {Context} must be true or false, not '{text}'", ValueLocation(key));
                return null;
        }
    }

    /// <summary>A nested mapping; null when absent or null. Reports a value of another shape.</summary>
    public YamlMap? Map(string key, string? context = null)
    {
        if (!_entries.TryGetValue(key, out var e) || IsNullNode(e.Value)) return null;
        if (e.Value is YamlMappingNode mapping)
        {
            return new YamlMap(mapping, File, Diagnostics, context ?? $"'{key}'");
        }

        Diagnostics.Error(DiagnosticCodes.WrongType, $"'{key}' in {Context} must be a mapping (key: value lines), not a {Describe(e.Value)}", e.Value.At(File));
        return null;
    }

    public YamlSequenceNode? Sequence(string key)
    {
        if (!_entries.TryGetValue(key, out var e) || IsNullNode(e.Value)) return null;
        if (e.Value is YamlSequenceNode sequence) return sequence;
        Diagnostics.Error(DiagnosticCodes.WrongType, $"'{key}' in {Context} must be a list, not a {Describe(e.Value)}", e.Value.At(File));
        return null;
    }

    /// <summary>A list of scalars; a single scalar is accepted as a one-item list when <paramref name="allowSingle"/>.</summary>
    public IReadOnlyList<(string Value, SourceLocation Location)> StringList(string key, bool allowSingle = false)
    {
        if (!_entries.TryGetValue(key, out var e) || IsNullNode(e.Value)) return [];
        if (allowSingle && e.Value is YamlScalarNode single)
        {
            return single.Value is null ? [] : [(single.Value, single.At(File))];
        }

        var sequence = Sequence(key);
        if (sequence is null) return [];
        var list = new List<(string, SourceLocation)>();
        foreach (var item in sequence.Children)
        {
            var text = ScalarText(item, $"each item of '{key}' in {Context}");
            if (text is not null) list.Add((text, item.At(File)));
        }

        return list;
    }

    public static bool IsNullNode(YamlNode node) => node is YamlScalarNode s && IsNull(s);

    public static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style is ScalarStyle.Plain or ScalarStyle.Any && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "mapping",
        YamlSequenceNode => "list",
        _ => "value",
    };
}
