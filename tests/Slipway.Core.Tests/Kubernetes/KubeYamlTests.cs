using System.Text.Json.Nodes;
using Slipway.Core.Rendering.Kubernetes;
using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Tests.Kubernetes;

public sealed class KubeYamlTests
{
    [Theory]
    [InlineData("true")]
    [InlineData("No")]
    [InlineData("1.0")]
    [InlineData("0755")]
    [InlineData("12:30")]
    [InlineData("")]
    [InlineData(" leading")]
    [InlineData("a: b")]
    [InlineData("#comment")]
    [InlineData("- item")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("line one\nline two\n")]
    [InlineData("no newline\nat end")]
    [InlineData("trailing space \nx\n")]
    [InlineData("two newlines\n\n")]
    [InlineData("tab\tinside")]
    [InlineData("\"quoted\" and \\ backslash")]
    [InlineData("ünïcödé")]
    public void Strings_read_back_as_the_same_string_and_ambiguous_ones_are_quoted(string text)
    {
        var yaml = KubeYaml.Document(new JsonObject { ["key"] = text, ["list"] = new JsonArray(text) });

        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var scalar = (YamlScalarNode)root.Children[new YamlScalarNode("key")];
        Assert.Equal(text, scalar.Value);
        Assert.Equal(text, ((YamlScalarNode)((YamlSequenceNode)root.Children[new YamlScalarNode("list")]).Children[0]).Value);
        Assert.NotEqual(YamlDotNet.Core.ScalarStyle.Plain, scalar.Style);
    }

    [Fact]
    public void Numbers_and_booleans_stay_plain_and_empty_collections_are_inline()
    {
        var yaml = KubeYaml.Document(new JsonObject { ["port"] = 80, ["on"] = true, ["name"] = "web", ["map"] = new JsonObject(), ["list"] = new JsonArray() });

        Assert.Equal("port: 80\n\"on\": true\nname: web\nmap: {}\nlist: []\n", yaml);
    }
}
