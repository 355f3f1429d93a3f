using Slipway.Core.Compose;

namespace Slipway.Core.Tests.Compose;

public sealed class InterpolationTests
{
    // SET=value, EMPTY is set to "", HOST/PORT for URLs; everything else is unset.
    private static readonly Dictionary<string, string> Env = new()
    {
        ["SET"] = "value",
        ["EMPTY"] = "",
        ["HOST"] = "example.org",
        ["PORT"] = "8080",
        ["B"] = "bee",
        ["_under"] = "u",
        ["DOLLAR"] = "$NOT_EXPANDED",
    };

    private static string? Lookup(string name) => Env.TryGetValue(name, out var v) ? v : null;

    private static InterpolationResult Apply(string text) => Interpolation.Apply(text, Lookup);

    [Theory]
    [InlineData("", "")]
    [InlineData("plain text", "plain text")]
    [InlineData("$SET", "value")]
    [InlineData("${SET}", "value")]
    [InlineData("$_under", "u")]
    [InlineData("${_under}", "u")]
    [InlineData("$SET-suffix", "value-suffix")]
    [InlineData("$SET.suffix", "value.suffix")]
    [InlineData("${SET}suffix", "valuesuffix")]
    [InlineData("$SETsuffix", "")]
    [InlineData("prefix-$SET", "prefix-value")]
    [InlineData("http://${HOST}:${PORT:-80}/x", "http://example.org:8080/x")]
    [InlineData("http://${HOST}:${NOPE:-80}/x", "http://example.org:80/x")]
    [InlineData("$SET$SET", "valuevalue")]
    [InlineData("${SET}${SET}", "valuevalue")]
    [InlineData("$DOLLAR", "$NOT_EXPANDED")]
    public void Variables_are_substituted(string text, string expected)
    {
        var result = Apply(text);

        Assert.Empty(result.Errors);
        Assert.Equal(expected, result.Value);
    }

    [Theory]
    [InlineData("${SET:-default}", "value")]
    [InlineData("${EMPTY:-default}", "default")]
    [InlineData("${UNSET:-default}", "default")]
    [InlineData("${SET-default}", "value")]
    [InlineData("${EMPTY-default}", "")]
    [InlineData("${UNSET-default}", "default")]
    [InlineData("${UNSET:-}", "")]
    [InlineData("${UNSET-}", "")]
    [InlineData("${UNSET:-a default with spaces}", "a default with spaces")]
    [InlineData("${UNSET:-with:colon-and-dash}", "with:colon-and-dash")]
    [InlineData("${UNSET:-{braces}}", "{braces}")]
    public void Default_is_used_when_variable_is_unset_or_empty_as_the_operator_says(string text, string expected)
    {
        var result = Apply(text);

        Assert.Empty(result.Errors);
        Assert.Equal(expected, result.Value);
    }

    [Theory]
    [InlineData("${SET:+replacement}", "replacement")]
    [InlineData("${EMPTY:+replacement}", "")]
    [InlineData("${UNSET:+replacement}", "")]
    [InlineData("${SET+replacement}", "replacement")]
    [InlineData("${EMPTY+replacement}", "replacement")]
    [InlineData("${UNSET+replacement}", "")]
    public void Replacement_is_used_when_variable_is_set_or_non_empty_as_the_operator_says(string text, string expected)
    {
        var result = Apply(text);

        Assert.Empty(result.Errors);
        Assert.Equal(expected, result.Value);
    }

    [Theory]
    [InlineData("${SET:?must be set}", "value")]
    [InlineData("${SET?must be set}", "value")]
    [InlineData("${EMPTY?must be set}", "")]
    public void Required_variable_that_is_present_is_substituted(string text, string expected)
    {
        var result = Apply(text);

        Assert.Empty(result.Errors);
        Assert.Equal(expected, result.Value);
    }

    [Theory]
    [InlineData("${UNSET:?must be set}", 1, "required variable 'UNSET' is unset or empty: must be set")]
    [InlineData("${EMPTY:?must be set}", 1, "required variable 'EMPTY' is unset or empty: must be set")]
    [InlineData("${UNSET?must be set}", 1, "required variable 'UNSET' is unset: must be set")]
    [InlineData("${UNSET:?}", 1, "required variable 'UNSET' is unset or empty")]
    [InlineData("${UNSET?}", 1, "required variable 'UNSET' is unset")]
    [InlineData("x=${UNSET:?set it in $SET}", 3, "required variable 'UNSET' is unset or empty: set it in value")]
    [InlineData("${SET:-${UNSET:?inner}}", 8, "required variable 'UNSET' is unset or empty: inner")]
    public void Required_variable_that_is_missing_is_an_error_at_its_column(string text, int column, string message)
    {
        var result = Apply(text);

        var error = Assert.Single(result.Errors);
        Assert.Equal(new InterpolationError(column, message), error);
        Assert.False(result.Succeeded);
    }

    [Theory]
    [InlineData("${UNSET:-${B:-c}}", "bee")]
    [InlineData("${UNSET:-${NOPE:-c}}", "c")]
    [InlineData("${UNSET:-$B}", "bee")]
    [InlineData("${UNSET:-x${B}y}", "xbeey")]
    [InlineData("${UNSET:-${NOPE:-${B}}}", "bee")]
    [InlineData("${SET:+[${B}]}", "[bee]")]
    [InlineData("${UNSET:-$$B}", "$B")]
    [InlineData("a${UNSET:-${B}}b${SET}c", "abeebvaluec")]
    public void Defaults_and_replacements_are_interpolated_too(string text, string expected)
    {
        var result = Apply(text);

        Assert.Empty(result.Errors);
        Assert.Equal(expected, result.Value);
    }

    [Theory]
    [InlineData("$$", "$")]
    [InlineData("$$SET", "$SET")]
    [InlineData("$${SET}", "${SET}")]
    [InlineData("$$$SET", "$value")]
    [InlineData("$$$$", "$$")]
    [InlineData("echo $$HOME && echo $SET", "echo $HOME && echo value")]
    public void Double_dollar_is_a_literal_dollar(string text, string expected)
    {
        var result = Apply(text);

        Assert.Empty(result.Errors);
        Assert.Equal(expected, result.Value);
        Assert.DoesNotContain("HOME", result.Variables);
    }

    [Theory]
    [InlineData("$")]
    [InlineData("price: 5$")]
    [InlineData("$1")]
    [InlineData("$ sign")]
    [InlineData("a$-b")]
    [InlineData("$.")]
    [InlineData("$}")]
    [InlineData("€$€")]
    public void Dollar_not_followed_by_a_name_or_brace_is_left_as_is(string text)
    {
        var result = Apply(text);

        Assert.Empty(result.Errors);
        Assert.Equal(text, result.Value);
        Assert.Empty(result.Variables);
    }

    [Theory]
    [InlineData("${", 1, "unterminated '${' in '${': missing '}'")]
    [InlineData("${SET", 1, "unterminated '${' in '${SET': missing '}'")]
    [InlineData("abc ${SET:-x", 5, "unterminated '${' in '${SET:-x': missing '}'")]
    [InlineData("${UNSET:-${B}", 1, "unterminated '${' in '${UNSET:-${B}': missing '}'")]
    [InlineData("ok ${SET} ${UNSET:-{x}", 11, "unterminated '${' in '${UNSET:-{x}': missing '}'")]
    public void Unterminated_brace_is_an_error_at_the_dollar(string text, int column, string message)
    {
        var result = Apply(text);

        var error = Assert.Single(result.Errors);
        Assert.Equal(new InterpolationError(column, message), error);
    }

    [Theory]
    [InlineData("${}", 3, "empty variable name in '${}'")]
    [InlineData("x${1A}", 4, "invalid variable name '1A' in '${1A}': a name starts with a letter or '_'")]
    [InlineData("${-x}", 3, "invalid variable name in '${-x}': a name starts with a letter or '_'")]
    [InlineData("${ SET}", 3, "invalid variable name in '${ SET}': a name starts with a letter or '_'")]
    [InlineData("${SET }", 6, "invalid interpolation '${SET }': expected '}', ':-', '-', ':?', '?', ':+' or '+' after the variable name 'SET' (other shell expansions are not supported)")]
    [InlineData("${A.B}", 4, "invalid interpolation '${A.B}': expected '}', ':-', '-', ':?', '?', ':+' or '+' after the variable name 'A' (other shell expansions are not supported)")]
    [InlineData("${VAR/foo/bar}", 6, "invalid interpolation '${VAR/foo/bar}': expected '}', ':-', '-', ':?', '?', ':+' or '+' after the variable name 'VAR' (other shell expansions are not supported)")]
    [InlineData("${VAR:x}", 6, "invalid interpolation '${VAR:x}': expected '}', ':-', '-', ':?', '?', ':+' or '+' after the variable name 'VAR' (other shell expansions are not supported)")]
    [InlineData("${VAR:=x}", 6, "invalid interpolation '${VAR:=x}': expected '}', ':-', '-', ':?', '?', ':+' or '+' after the variable name 'VAR' (other shell expansions are not supported)")]
    [InlineData("${#VAR}", 3, "invalid variable name in '${#VAR}': a name starts with a letter or '_'")]
    public void Invalid_braced_expression_is_an_error_at_the_offending_character(string text, int column, string message)
    {
        var result = Apply(text);

        var error = Assert.Single(result.Errors);
        Assert.Equal(new InterpolationError(column, message), error);
    }

    [Fact]
    public void Every_error_of_a_string_is_reported()
    {
        var result = Apply("${1} and ${UNSET:?needed} and ${X");

        Assert.Equal([3, 10, 31], result.Errors.Select(e => e.Column));
    }

    [Fact]
    public void Error_inside_an_unused_default_still_fails_as_in_compose()
    {
        var result = Apply("${SET:-${UNSET:?never used}}");

        Assert.Single(result.Errors);
    }

    [Theory]
    [InlineData("$NOPE", new[] { "NOPE" })]
    [InlineData("${NOPE}-$NADA-${NOPE}", new[] { "NOPE", "NADA" })]
    [InlineData("${NOPE:-x}${NOPE-x}${NOPE:+x}${NOPE+x}", new string[0])]
    [InlineData("${SET}", new string[0])]
    [InlineData("${EMPTY}", new string[0])]
    public void Unset_lists_variables_replaced_by_an_empty_string_without_a_default(string text, string[] unset)
    {
        var result = Apply(text);

        Assert.Empty(result.Errors);
        Assert.Equal(unset, result.Unset);
    }

    [Theory]
    [InlineData("no variables", new string[0])]
    [InlineData("$A ${B} ${C:-x} ${D-x} ${E:?x} ${F?x} ${G:+x} ${H+x}", new[] { "A", "B", "C", "D", "E", "F", "G", "H" })]
    [InlineData("${A:-${B:-${C}}}", new[] { "A", "B", "C" })]
    [InlineData("${A:?missing $B}", new[] { "A", "B" })]
    [InlineData("$A $A ${A} ${B:-$A}", new[] { "A", "B" })]
    [InlineData("$$A $${B} $C", new[] { "C" })]
    [InlineData("http://${HOST}:${PORT:-80}/x", new[] { "HOST", "PORT" })]
    [InlineData("${1A} $OK", new[] { "OK" })]
    public void Referenced_variables_are_listed_once_in_order_including_nested_ones(string text, string[] expected)
    {
        Assert.Equal(expected, Interpolation.ReferencedVariables(text));
    }

    [Fact]
    public void Apply_reports_the_same_variables_as_ReferencedVariables()
    {
        const string Text = "${A:-${B}} $C ${SET}";

        Assert.Equal(Interpolation.ReferencedVariables(Text), Apply(Text).Variables);
    }

    [Fact]
    public void Lookup_is_not_asked_about_escaped_names()
    {
        var asked = new List<string>();

        Interpolation.Apply("$$A ${B} $C", name =>
        {
            asked.Add(name);
            return null;
        });

        Assert.Equal(["B", "C"], asked);
    }
}
