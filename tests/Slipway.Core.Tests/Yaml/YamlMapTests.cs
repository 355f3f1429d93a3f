using Slipway.Core.Diagnostics;
using Slipway.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Tests.Yaml;

public sealed class YamlMapTests
{
    private readonly DiagnosticBag _diagnostics = new();

    private YamlMap Map(string text) =>
        new((YamlMappingNode)YamlDocuments.Load(text, "f.yml", _diagnostics)!, "f.yml", _diagnostics, "thing");

    private Diagnostic SingleError()
    {
        var error = Assert.Single(_diagnostics.Items);
        Assert.True(error.IsError);
        return error;
    }

    [Theory]
    [InlineData("k: [a]", "'k' in thing must be a single value, not a list")]
    [InlineData("k: {a: b}", "'k' in thing must be a single value, not a mapping")]
    public void String_of_a_structure_is_a_type_error_at_the_value(string text, string message)
    {
        Assert.Null(Map(text).String("k"));

        var error = SingleError();
        Assert.Equal(DiagnosticCodes.WrongType, error.Code);
        Assert.Equal(message, error.Message);
        Assert.Equal(new SourceLocation("f.yml", 1, 4), error.Location);
    }

    [Theory]
    [InlineData("k:", null)]
    [InlineData("k: ~", null)]
    [InlineData("k: null", null)]
    [InlineData("k: Null", null)]
    [InlineData("k: \"null\"", "null")]
    [InlineData("k: ''", "")]
    [InlineData("k: 007", "007")]
    [InlineData("k: yes", "yes")]
    [InlineData("other: x", null)]
    public void String_reads_scalars_as_written_and_plain_nulls_as_absent(string text, string? expected)
    {
        Assert.Equal(expected, Map(text).String("k"));
        Assert.Empty(_diagnostics.Items);
    }

    [Theory]
    [InlineData("n: 5", 5)]
    [InlineData("n: -3", -3)]
    [InlineData("n: 1000", 1000)]
    public void Int_reads_whole_numbers_in_range(string text, int expected)
    {
        Assert.Equal(expected, Map(text).Int("n", -10, 1000));
        Assert.Empty(_diagnostics.Items);
    }

    [Theory]
    [InlineData("n: 1001", "'n' in thing must be a whole number from -10 to 1000, not '1001'")]
    [InlineData("n: 1.5", "'n' in thing must be a whole number from -10 to 1000, not '1.5'")]
    [InlineData("n: ten", "'n' in thing must be a whole number from -10 to 1000, not 'ten'")]
    public void Int_reports_other_values_at_the_value(string text, string message)
    {
        Assert.Null(Map(text).Int("n", -10, 1000));

        var error = SingleError();
        Assert.Equal(message, error.Message);
        Assert.Equal(new SourceLocation("f.yml", 1, 4), error.Location);
    }

    [Fact]
    public void Int_without_bounds_says_only_whole_number()
    {
        Map("n: x").Int("n");

        Assert.Equal("'n' in thing must be a whole number, not 'x'", SingleError().Message);
    }

    [Theory]
    [InlineData("b: true", true)]
    [InlineData("b: yes", true)]
    [InlineData("b: on", true)]
    [InlineData("b: False", false)]
    [InlineData("b: no", false)]
    [InlineData("b: off", false)]
    public void Bool_reads_yaml_booleans(string text, bool expected)
    {
        Assert.Equal(expected, Map(text).Bool("b"));
        Assert.Empty(_diagnostics.Items);
    }

    [Fact]
    public void Bool_reports_other_values()
    {
        Assert.Null(Map("b: maybe").Bool("b"));

        Assert.Equal("'b' in thing must be true or false, not 'maybe'", SingleError().Message);
    }

    [Theory]
    [InlineData("m: [a]", "'m' in thing must be a mapping (key: value lines), not a list")]
    [InlineData("m: text", "'m' in thing must be a mapping (key: value lines), not a value")]
    public void Map_of_another_shape_is_a_type_error(string text, string message)
    {
        Assert.Null(Map(text).Map("m"));

        Assert.Equal(message, SingleError().Message);
    }

    [Fact]
    public void Map_of_null_is_absent_without_error()
    {
        Assert.Null(Map("m:").Map("m"));
        Assert.Empty(_diagnostics.Items);
    }

    [Fact]
    public void Nested_map_uses_its_own_context_in_messages()
    {
        var nested = Map("m:\n  x: [1]").Map("m", "'network'")!;

        nested.String("x");

        Assert.Equal("'x' in 'network' must be a single value, not a list", SingleError().Message);
    }

    [Fact]
    public void Sequence_of_a_mapping_is_a_type_error()
    {
        Assert.Null(Map("s: {a: b}").Sequence("s"));

        Assert.Equal("'s' in thing must be a list, not a mapping", SingleError().Message);
    }

    [Fact]
    public void String_list_reads_scalars_with_their_locations_and_reports_structures()
    {
        var list = Map("l:\n  - a\n  - [b]\n  - c").StringList("l");

        Assert.Equal([("a", new SourceLocation("f.yml", 2, 5)), ("c", new SourceLocation("f.yml", 4, 5))], list);
        Assert.Equal("each item of 'l' in thing must be a single value, not a list", SingleError().Message);
    }

    [Fact]
    public void String_list_accepts_a_single_value_only_when_allowed()
    {
        Assert.Equal(["one"], Map("l: one").StringList("l", allowSingle: true).Select(x => x.Value));
        Assert.Empty(_diagnostics.Items);

        Assert.Empty(Map("l: one").StringList("l"));
        Assert.Equal("'l' in thing must be a list, not a value", SingleError().Message);
    }

    [Fact]
    public void Non_scalar_keys_are_reported()
    {
        Map("[a, b]: 1\nok: 2");

        var error = SingleError();
        Assert.Equal("thing: keys must be plain strings", error.Message);
        Assert.Equal(new SourceLocation("f.yml", 1, 1), error.Location);
    }

    [Fact]
    public void Unknown_keys_are_reported_at_the_key_with_a_hint_unless_allowed()
    {
        var map = Map("name: a\nnmae: b\nx-extra: c\nzzz: d");

        map.RejectUnknownKeys(["name", "value"], k => k.StartsWith("x-", StringComparison.Ordinal));

        Assert.Equal(
            [("unknown key 'nmae' in thing", "did you mean 'name'?", 2), ("unknown key 'zzz' in thing", null, 4)],
            _diagnostics.Items.Select(d => (d.Message, d.Hint, d.Location!.Line)));
    }

    [Fact]
    public void Locations_point_at_keys_and_values()
    {
        var map = Map("a: 1\nbb:   two");

        Assert.Equal(new SourceLocation("f.yml", 2, 1), map.KeyLocation("bb"));
        Assert.Equal(new SourceLocation("f.yml", 2, 7), map.ValueLocation("bb"));
        Assert.Null(map.KeyLocation("missing"));
        Assert.Equal(["a", "bb"], map.Keys);
    }
}
