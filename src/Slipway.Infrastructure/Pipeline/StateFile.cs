using System.Text.Json;

namespace Slipway.Infrastructure.Pipeline;

/// <summary>
/// What a state file (run.json, revision.json, pin.json, the lock) must hold before it is believed. Valid JSON can still
/// lack a key every file Slipway writes has (a hand edit, a file cut short and closed by hand): deserialized as is, the
/// key would read as a default (a run "running" with no stages, a pin to revision 0) or as null further on.
/// </summary>
internal static class StateFile
{
    /// <summary>
    /// The keys the JSON object <paramref name="text"/> lacks (absent, or null) of <paramref name="shape"/>'s required
    /// keys, those it holds as null of the keys that may be absent but never null, and of each item of its list; named
    /// as in the file (<c>stages[1].name</c>). Empty when nothing lacks, or when the root is not an object (the
    /// deserializer then says what it is). Throws <see cref="JsonException"/> when the text is not JSON.
    /// </summary>
    public static List<string> Lacks(string text, Shape shape)
    {
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        var lacks = new List<string>();
        if (root.ValueKind != JsonValueKind.Object) return lacks;
        lacks.AddRange(shape.Required.Where(key => !Has(root, key)));
        lacks.AddRange(shape.NotNull.Where(key => root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Null).Select(key => $"{key} (null)"));
        if (shape.List is { } list && root.TryGetProperty(list, out var items) && items.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in items.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object) lacks.Add($"{list}[{index}] (not an object)");
                else lacks.AddRange((shape.ItemRequired ?? []).Where(key => !Has(item, key)).Select(key => $"{list}[{index}].{key}"));
                index++;
            }
        }

        return lacks;
    }

    /// <summary>"it lacks state, startedAt": the reason a reader gives with the file's path.</summary>
    public static string Describe(IReadOnlyList<string> lacks) =>
        $"it lacks {string.Join(", ", lacks)}, which every such file Slipway writes holds";

    private static bool Has(JsonElement element, string key) =>
        element.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>The keys of one kind of state file, as written (camelCase).</summary>
    /// <param name="Required">Keys that must be there with a value.</param>
    /// <param name="NotNull">Keys that may be absent (files written before they existed) but are never null.</param>
    /// <param name="List">A key holding a list of objects.</param>
    /// <param name="ItemRequired">Keys each object of <paramref name="List"/> must have with a value.</param>
    public sealed record Shape(IReadOnlyList<string> Required, IReadOnlyList<string> NotNull, string? List = null, IReadOnlyList<string>? ItemRequired = null);
}
