using Slipway.Core.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Yaml;

/// <summary>Loads YAML text into nodes that keep their marks, so every later finding can name file:line:column.</summary>
internal static class YamlDocuments
{
    /// <summary>The root node of a single-document file, or null (with a diagnostic) when the text is not valid YAML.</summary>
    public static YamlNode? Load(string text, string file, DiagnosticBag diagnostics)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0)
            {
                return null;
            }

            if (stream.Documents.Count > 1)
            {
                var second = stream.Documents[1].RootNode;
                diagnostics.Error(DiagnosticCodes.YamlSyntax, "only one YAML document is allowed in this file", second.At(file));
            }

            return stream.Documents[0].RootNode;
        }
        catch (YamlException ex)
        {
            diagnostics.Error(DiagnosticCodes.YamlSyntax, Describe(ex), TabIndentation(text, ex, file) ?? new SourceLocation(file, (int)ex.Start.Line, (int)ex.Start.Column));
            return null;
        }
    }

    /// <summary>
    /// Loads a file whose root must be a mapping. Reports an empty file (<paramref name="emptyMessage"/>) or another
    /// root shape (<paramref name="notMappingMessage"/>) and returns null then.
    /// </summary>
    public static YamlMap? LoadMapping(string text, string file, DiagnosticBag diagnostics, string context, string emptyMessage, string notMappingMessage)
    {
        var root = Load(text, file, diagnostics);
        switch (root)
        {
            case YamlMappingNode mapping:
                return new YamlMap(mapping, file, diagnostics, context);
            case null:
                if (!diagnostics.HasErrors)
                {
                    diagnostics.Error(DiagnosticCodes.MissingKey, emptyMessage, new SourceLocation(file, 1, 1));
                }

                return null;
            default:
                diagnostics.Error(DiagnosticCodes.WrongType, notMappingMessage, root.At(file));
                return null;
        }
    }

    /// <summary>Writes nodes back as YAML, keeping each scalar's style, with \n line endings and no document-end marker.</summary>
    public static string Save(YamlNode root)
    {
        var writer = new StringWriter { NewLine = "\n" };
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        var text = writer.ToString().Replace("\r\n", "\n");
        if (text.EndsWith("...\n", StringComparison.Ordinal))
        {
            text = text[..^4];
        }

        return text;
    }

    /// <summary>Every scalar value under <paramref name="node"/> (mapping keys excluded), in document order.</summary>
    public static IEnumerable<YamlScalarNode> Scalars(YamlNode node) => node switch
    {
        YamlScalarNode s => [s],
        YamlSequenceNode seq => seq.Children.SelectMany(Scalars),
        YamlMappingNode map => map.Children.SelectMany(kv => Scalars(kv.Value)),
        _ => [],
    };

    public static SourceLocation At(this YamlNode node, string file) =>
        new(file, (int)node.Start.Line, (int)node.Start.Column);

    private static string Describe(YamlException ex)
    {
        var message = ex.InnerException is { } inner && ex.Message.StartsWith("Exception during", StringComparison.Ordinal)
            ? inner.Message
            : ex.Message;
        if (message.StartsWith("Duplicate key ", StringComparison.Ordinal))
        {
            return $"duplicate key '{message["Duplicate key ".Length..].Trim()}': a key may appear only once in a mapping";
        }

        if (message.Contains("duplicate key", StringComparison.OrdinalIgnoreCase))
        {
            return "duplicate key: a key may appear only once in a mapping";
        }

        if (IsTabIndentation(ex))
        {
            return "invalid YAML: a tab is used for indentation; indent with spaces";
        }

        return "invalid YAML: " + char.ToLowerInvariant(message[0]) + message[1..].TrimEnd('.');
    }

    private static bool IsTabIndentation(YamlException ex) => ex.Message.Contains("tab as indentation", StringComparison.OrdinalIgnoreCase);

    /// <summary>YamlDotNet reports a tab in indentation at the enclosing mapping; point at the first indenting tab instead.</summary>
    private static SourceLocation? TabIndentation(string text, YamlException ex, string file)
    {
        if (!IsTabIndentation(ex)) return null;
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = Math.Max(0, (int)ex.Start.Line - 1); i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', 0, indent);
            if (tab >= 0) return new SourceLocation(file, i + 1, tab + 1);
        }

        return null;
    }
}
