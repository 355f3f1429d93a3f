using Slipway.Core.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Yaml;

/// <summary>Loads YAML text into nodes that keep their marks, so every later finding can name file:line:column.</summary>
public static class YamlDocuments
{
    /// <summary>
    /// How many nodes a document may have once its aliases are expanded. Far above any real stack, spec or compose
    /// file; an alias bomb ("billion laughs") reaches it within a few levels and is refused before anything walks it.
    /// </summary>
    public const int MaxExpandedNodes = 100_000;

    /// <summary>The root node of a single-document file, or null (with a diagnostic) when the text is not valid YAML.</summary>
    public static YamlNode? Load(string text, string file, DiagnosticBag diagnostics)
    {
        var documents = LoadAll(text, file, diagnostics);
        if (documents is null || documents.Count == 0)
        {
            return null;
        }

        if (documents.Count > 1)
        {
            diagnostics.Error(DiagnosticCodes.YamlSyntax, "only one YAML document is allowed in this file", documents[1].At(file));
        }

        return documents[0];
    }

    /// <summary>
    /// The root node of every document (a multi-document file), or null with a diagnostic when the text is not valid
    /// YAML or a document's aliases expand beyond <see cref="MaxExpandedNodes"/>.
    /// </summary>
    public static IReadOnlyList<YamlNode>? LoadAll(string text, string file, DiagnosticBag diagnostics)
    {
        var parser = new TrackingParser(new Parser(new StringReader(text)));
        var stream = new YamlStream();
        try
        {
            stream.Load(parser);
        }
        catch (YamlException ex)
        {
            diagnostics.Error(DiagnosticCodes.YamlSyntax, Describe(ex), TabIndentation(text, ex, file) ?? new SourceLocation(file, (int)ex.Start.Line, (int)ex.Start.Column));
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            // YamlDotNet's scanner throws these (not a YamlException) on some malformed input, e.g. an unclosed
            // flow sequence followed by a new key: still bad input, reported where the reader stopped.
            diagnostics.Error(DiagnosticCodes.YamlSyntax, parser.OpenFlow is { } open
                ? $"invalid YAML: the flow {(open.Sequence ? "sequence '['" : "mapping '{'")} opened here is not closed"
                : "invalid YAML: this file could not be read past here", parser.OpenFlow is { } at ? Location(file, at.Start) : Location(file, parser.Last));
            return null;
        }

        var roots = new List<YamlNode>();
        foreach (var document in stream.Documents)
        {
            if (ExpandsTooFar(document.RootNode, file, diagnostics)) return null;
            roots.Add(document.RootNode);
        }

        return roots;
    }

    /// <summary>
    /// Loads a file whose root must be a mapping. Reports an empty file (<paramref name="emptyMessage"/>) or another
    /// root shape (<paramref name="notMappingMessage"/>) and returns null then.
    /// </summary>
    internal static YamlMap? LoadMapping(string text, string file, DiagnosticBag diagnostics, string context, string emptyMessage, string notMappingMessage)
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

    /// <summary>
    /// True (with a diagnostic) when the tree, aliases expanded, has more than <see cref="MaxExpandedNodes"/> nodes or
    /// an alias that contains itself. Counted once per distinct node, so the check is linear in the text.
    /// </summary>
    private static bool ExpandsTooFar(YamlNode root, string file, DiagnosticBag diagnostics)
    {
        var sizes = new Dictionary<YamlNode, long>(ReferenceEqualityComparer.Instance);
        var open = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        var cyclic = false;
        long Size(YamlNode node)
        {
            if (sizes.TryGetValue(node, out var known)) return known;
            if (!open.Add(node))
            {
                cyclic = true;
                return MaxExpandedNodes + 1L;
            }

            var size = 1L;
            var children = node switch
            {
                YamlSequenceNode seq => seq.Children,
                YamlMappingNode map => map.Children.SelectMany(kv => new[] { kv.Key, kv.Value }),
                _ => [],
            };
            foreach (var child in children)
            {
                size = Math.Min(size + Size(child), MaxExpandedNodes + 1L);
                if (size > MaxExpandedNodes) break;
            }

            open.Remove(node);
            sizes[node] = size;
            return size;
        }

        if (Size(root) <= MaxExpandedNodes) return false;
        diagnostics.Error(DiagnosticCodes.YamlSyntax, cyclic
            ? "invalid YAML: an alias refers to the node that contains it"
            : $"invalid YAML: aliases ('*name') expand this document to more than {MaxExpandedNodes:N0} nodes; write the values out or use fewer nested aliases", root.At(file));
        return true;
    }

    private static SourceLocation Location(string file, Mark mark) => new(file, Math.Max(1, (int)mark.Line), Math.Max(1, (int)mark.Column));

    /// <summary>Remembers where the last event ended and which flow collections are open, to place a scanner failure.</summary>
    private sealed class TrackingParser(IParser inner) : IParser
    {
        private readonly Stack<(bool Sequence, Mark Start)> _flows = new();

        public Mark Last { get; private set; } = Mark.Empty;

        public (bool Sequence, Mark Start)? OpenFlow => _flows.Count > 0 ? _flows.Peek() : null;

        public ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            var moved = inner.MoveNext();
            switch (inner.Current)
            {
                case SequenceStart { Style: SequenceStyle.Flow } s:
                    _flows.Push((true, s.Start));
                    break;
                case MappingStart { Style: MappingStyle.Flow } m:
                    _flows.Push((false, m.Start));
                    break;
                // No block collection can sit inside a flow one, so while a flow is open every end closes it.
                case SequenceEnd or MappingEnd when _flows.Count > 0:
                    _flows.Pop();
                    break;
            }

            if (inner.Current is { } current) Last = current.End;
            return moved;
        }
    }

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
