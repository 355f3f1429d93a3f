using System.Text;
using System.Text.RegularExpressions;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Tests.Specs;

/// <summary>
/// docs/spec.md and the spec parser know the same keys. Each <c>### `path`</c> section of the document is fed to
/// the parser (which must not call it unknown), and every mapping the parser checks for unknown keys while
/// reading those sections tells which keys it accepts there (each must have a section).
/// </summary>
public sealed partial class SpecDocumentationTests
{
    /// <summary>Stands for a <c>&lt;name&gt;</c> segment in the generated YAML (a valid env, volume and service name).</summary>
    private const string NamePlaceholder = "X1";

    private static readonly string DocumentPath = Path.Combine(TestFiles.ProjectDirectory(), "..", "..", "docs", "spec.md");

    [GeneratedRegex(@"^### `([^`]+)`\s*$", RegexOptions.Multiline)]
    private static partial Regex SectionHeading();

    private static List<string> DocumentedKeys() =>
        SectionHeading().Matches(File.ReadAllText(DocumentPath)).Select(m => m.Groups[1].Value).ToList();

    [Fact]
    public void Every_section_gives_type_default_targets_and_an_example()
    {
        var text = File.ReadAllText(DocumentPath);
        var headings = SectionHeading().Matches(text).ToList();
        var missing = new List<string>();
        for (var i = 0; i < headings.Count; i++)
        {
            var end = i + 1 < headings.Count ? headings[i + 1].Index : text.Length;
            var body = text[headings[i].Index..end];
            missing.AddRange(new[] { "- Type:", "- Default:", "- Targets:", "- Example:" }
                .Where(field => !body.Contains(field, StringComparison.Ordinal))
                .Select(field => $"{headings[i].Groups[1].Value}: no '{field}'"));
        }

        Assert.True(headings.Count > 50, $"docs/spec.md has only {headings.Count} key sections");
        Assert.Empty(missing);
    }

    [Fact]
    public void Every_key_the_document_names_is_one_the_parser_accepts()
    {
        var unknown = new List<string>();
        foreach (var (top, yaml) in SpecsPerTopLevelKey(DocumentedKeys()))
        {
            var diagnostics = new DiagnosticBag();
            SpecParser.Parse(yaml, "spec.yml", diagnostics);
            unknown.AddRange(diagnostics.Items.Where(d => d.Code == DiagnosticCodes.UnknownKey).Select(d => $"{top}: {d.Message}"));
        }

        Assert.Empty(unknown);
    }

    [Fact]
    public void Every_key_the_parser_accepts_has_a_section_in_the_document()
    {
        var undocumented = Undocumented(DocumentedKeys());

        Assert.True(undocumented.Count == 0, "the parser knows keys docs/spec.md does not describe (add a '### `key`' section for each): " + string.Join(", ", undocumented));
    }

    [Theory]
    [InlineData("rollout.timeout")]
    [InlineData("verify[].expect")]
    [InlineData("resources.containers.<name>.limits")]
    [InlineData("deploy-to")]
    public void A_key_left_out_of_the_document_is_found(string key)
    {
        Assert.Equal([key], Undocumented(DocumentedKeys().Where(k => k != key).ToList()));
    }

    /// <summary>The keys the parser accepts in the mappings it reads from the documented keys' specs, less the documented ones.</summary>
    private static SortedSet<string> Undocumented(IReadOnlyList<string> keys)
    {
        var documented = keys.ToHashSet(StringComparer.Ordinal);
        var undocumented = new SortedSet<string>(StringComparer.Ordinal);
        var checkedMappings = 0;
        foreach (var (_, yaml) in SpecsPerTopLevelKey(DocumentedKeys()).Prepend(("", "{}\n")))
        {
            var diagnostics = new DiagnosticBag();
            SpecParser.Parse(yaml, "spec.yml", diagnostics);
            var paths = MappingPaths(yaml);
            foreach (var (mapping, known) in diagnostics.CheckedMappings)
            {
                Assert.True(paths.TryGetValue((mapping.Line, mapping.Column), out var path), $"the parser checked a mapping at {mapping} that the generated spec does not have:\n{yaml}");
                checkedMappings++;
                foreach (var key in known)
                {
                    var full = path.Length == 0 ? key : $"{path}.{key}";
                    if (!documented.Contains(full)) undocumented.Add(full);
                }
            }
        }

        Assert.True(checkedMappings > 20, $"the parser reported only {checkedMappings} checked mappings: the probe is broken");
        return undocumented;
    }

    /// <summary>One small spec per documented top-level key, holding every documented key beneath it (leaves are <c>{}</c>).</summary>
    private static IEnumerable<(string Top, string Yaml)> SpecsPerTopLevelKey(IEnumerable<string> keys)
    {
        var tree = new Node();
        foreach (var key in keys)
        {
            var node = tree;
            foreach (var segment in key.Split('.'))
            {
                var name = segment.EndsWith("[]", StringComparison.Ordinal) ? segment[..^2] : segment;
                name = name == "<name>" ? NamePlaceholder : name;
                node = node.Children.TryGetValue(name, out var child) ? child : node.Children[name] = new Node();
                node.IsSequence |= segment.EndsWith("[]", StringComparison.Ordinal);
            }
        }

        foreach (var (top, child) in tree.Children)
        {
            var text = new StringBuilder();
            Write(text, top, child, 0);
            yield return (top, text.ToString());
        }
    }

    private static void Write(StringBuilder text, string key, Node node, int indent)
    {
        var pad = new string(' ', indent);
        if (node.Children.Count == 0)
        {
            text.Append(pad).Append(key).Append(node.IsSequence ? ": [{}]\n" : ": {}\n");
            return;
        }

        text.Append(pad).Append(key).Append(":\n");
        if (node.IsSequence)
        {
            text.Append(pad).Append("  -\n");
            indent += 2;
        }

        foreach (var (name, child) in node.Children) Write(text, name, child, indent + 2);
    }

    /// <summary>Where each mapping of the generated spec starts, and its documented path (<c>verify[]</c>, <c>&lt;name&gt;</c>).</summary>
    private static Dictionary<(int Line, int Column), string> MappingPaths(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var result = new Dictionary<(int, int), string>();
        Walk(stream.Documents[0].RootNode, "");
        return result;

        void Walk(YamlNode node, string path)
        {
            switch (node)
            {
                case YamlMappingNode mapping:
                    result[((int)mapping.Start.Line, (int)mapping.Start.Column)] = path;
                    foreach (var (k, v) in mapping.Children)
                    {
                        var name = ((YamlScalarNode)k).Value == NamePlaceholder ? "<name>" : ((YamlScalarNode)k).Value!;
                        Walk(v, path.Length == 0 ? name : $"{path}.{name}");
                    }

                    break;
                case YamlSequenceNode sequence:
                    foreach (var item in sequence.Children) Walk(item, path + "[]");
                    break;
            }
        }
    }

    private sealed class Node
    {
        public Dictionary<string, Node> Children { get; } = new(StringComparer.Ordinal);

        public bool IsSequence { get; set; }
    }
}
