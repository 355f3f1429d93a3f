using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Slipway.Core.Rendering.Kubernetes;

/// <summary>
/// Writes Kubernetes objects (JSON nodes, property order kept) as block YAML, the way kubectl prints it: plain
/// scalars only where no YAML reader can mistake them (a string never turns into a number, boolean or null),
/// double quotes with JSON escapes otherwise, literal blocks for multi-line text. Deterministic byte for byte.
/// </summary>
internal static partial class KubeYaml
{
    public static string Document(JsonObject obj)
    {
        var sb = new StringBuilder();
        WriteObject(sb, obj, 0, inlineFirst: false);
        return sb.ToString();
    }

    /// <summary>Several objects as one multi-document stream, each starting with <c>---</c>.</summary>
    public static string Stream(IEnumerable<JsonObject> objects)
    {
        var sb = new StringBuilder();
        foreach (var obj in objects)
        {
            sb.Append("---\n");
            WriteObject(sb, obj, 0, inlineFirst: false);
        }

        return sb.ToString();
    }

    private static void WriteObject(StringBuilder sb, JsonObject obj, int indent, bool inlineFirst)
    {
        var first = true;
        foreach (var (key, value) in obj)
        {
            if (!(first && inlineFirst)) sb.Append(' ', indent);
            first = false;
            sb.Append(Key(key)).Append(':');
            WriteValue(sb, value, indent, inSequence: false);
        }
    }

    private static void WriteValue(StringBuilder sb, JsonNode? value, int indent, bool inSequence)
    {
        switch (value)
        {
            case JsonObject { Count: 0 }:
                sb.Append(" {}\n");
                break;
            case JsonObject o:
                sb.Append('\n');
                WriteObject(sb, o, indent + 2, inlineFirst: false);
                break;
            case JsonArray { Count: 0 }:
                sb.Append(" []\n");
                break;
            case JsonArray a:
                sb.Append('\n');
                // Sequences sit at their key's indentation, as kubectl writes them.
                foreach (var item in a)
                {
                    sb.Append(' ', indent).Append('-');
                    if (item is JsonObject { Count: > 0 } itemObject)
                    {
                        sb.Append(' ');
                        WriteObject(sb, itemObject, indent + 2, inlineFirst: true);
                    }
                    else
                    {
                        WriteValue(sb, item, indent + 2, inSequence: true);
                    }
                }

                break;
            default:
                sb.Append(' ');
                WriteScalar(sb, value, indent + 2);
                break;
        }
    }

    private static void WriteScalar(StringBuilder sb, JsonNode? value, int blockIndent)
    {
        if (value is null)
        {
            sb.Append("null\n");
            return;
        }

        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                var text = value.GetValue<string>();
                if (IsLiteralBlockSafe(text))
                {
                    sb.Append(text.EndsWith('\n') ? "|\n" : "|-\n");
                    foreach (var line in text.TrimEnd('\n').Split('\n'))
                    {
                        if (line.Length > 0) sb.Append(' ', blockIndent).Append(line);
                        sb.Append('\n');
                    }
                }
                else
                {
                    sb.Append(Scalar(text)).Append('\n');
                }

                break;
            case JsonValueKind.True:
                sb.Append("true\n");
                break;
            case JsonValueKind.False:
                sb.Append("false\n");
                break;
            case JsonValueKind.Number:
                sb.Append(value.ToJsonString()).Append('\n');
                break;
            default:
                sb.Append("null\n");
                break;
        }
    }

    /// <summary>A string scalar: plain when it can only read back as the same string, else double-quoted.</summary>
    public static string Scalar(string text) => IsPlainSafe(text) ? text : Quote(text);

    private static string Key(string key) => IsPlainSafe(key) ? key : Quote(key);

    private static string Quote(string text) => JsonSerializer.Serialize(text, QuoteOptions);

    private static readonly JsonSerializerOptions QuoteOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static bool IsPlainSafe(string text) =>
        PlainSafe().IsMatch(text) && !Reserved.Contains(text.ToLowerInvariant());

    /// <summary>Words YAML 1.1 or 1.2 readers turn into booleans or null.</summary>
    private static readonly HashSet<string> Reserved = ["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"];

    /// <summary>One trailing newline at most, no trailing spaces, tabs or control characters, and a first line not starting with a space.</summary>
    private static bool IsLiteralBlockSafe(string text)
    {
        if (!text.Contains('\n') || text.StartsWith(' ') || text.StartsWith('\n') || text.EndsWith("\n\n", StringComparison.Ordinal)) return false;
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            if (line.EndsWith(' ') || line.Any(c => char.IsControl(c) || c == '\uFEFF')) return false;
        }

        return true;
    }

    [GeneratedRegex("^[A-Za-z_/][A-Za-z0-9_./-]*\\z")]
    private static partial Regex PlainSafe();

    internal static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
