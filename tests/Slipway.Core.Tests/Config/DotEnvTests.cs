using Slipway.Core.Config;

namespace Slipway.Core.Tests.Config;

public sealed class DotEnvTests
{
    private static string Single(string text, Func<string, string?>? lookup = null)
    {
        var result = DotEnv.Parse(text, lookup);
        Assert.Empty(result.Errors);
        return Assert.Single(result.Entries).Value;
    }

    [Theory]
    [InlineData("A=1", "1")]
    [InlineData("A=", "")]
    [InlineData("A=  ", "")]
    [InlineData("export A=1", "1")]
    [InlineData("export   A=1", "1")]
    [InlineData("  A=1", "1")]
    [InlineData("A = 1", "1")]
    [InlineData("A\t=\t1", "1")]
    [InlineData("A=hello world", "hello world")]
    [InlineData("A=  padded  ", "padded")]
    [InlineData("A=a=b=c", "a=b=c")]
    [InlineData("A=x # comment", "x")]
    [InlineData("A=x  # comment", "x")]
    [InlineData("A=x#not-a-comment", "x#not-a-comment")]
    [InlineData("A=x\t# tab does not start a comment", "x\t# tab does not start a comment")]
    [InlineData("A= # compose keeps this", "# compose keeps this")]
    [InlineData("A=it's", "it's")]
    [InlineData("A=say \"hi\"", "say \"hi\"")]
    [InlineData("A=back\\slash", "back\\slash")]
    [InlineData("A=ünïcödé ✓", "ünïcödé ✓")]
    [InlineData("A=1\r\n", "1")]
    [InlineData("\uFEFFA=1", "1")]
    [InlineData("A.b-c_D=1", "1")]
    [InlineData("_A=1", "1")]
    [InlineData("exportA=1", "1")]
    public void Unquoted_values_are_read_to_the_end_of_the_line(string text, string expected)
    {
        Assert.Equal(expected, Single(text));
    }

    [Theory]
    [InlineData("A='x'", "x")]
    [InlineData("A=''", "")]
    [InlineData("A='  spaced  '", "  spaced  ")]
    [InlineData("A='x # not a comment'", "x # not a comment")]
    [InlineData("A='$HOME ${X:?boom}'", "$HOME ${X:?boom}")]
    [InlineData("A='a\\nb'", "a\\nb")]
    [InlineData("A='a\\\\b'", "a\\\\b")]
    [InlineData("A='it\\'s'", "it's")]
    [InlineData("A='say \"hi\"'", "say \"hi\"")]
    [InlineData("A='line1\nline2'", "line1\nline2")]
    [InlineData("A='x' # comment", "x")]
    [InlineData("A='x'# comment", "x")]
    [InlineData("A='x'   ", "x")]
    [InlineData("A=  'x'", "x")]
    public void Single_quoted_values_are_literal(string text, string expected)
    {
        Assert.Equal(expected, Single(text));
    }

    [Theory]
    [InlineData("A=\"x\"", "x")]
    [InlineData("A=\"\"", "")]
    [InlineData("A=\"  spaced  \"", "  spaced  ")]
    [InlineData("A=\"x # not a comment\"", "x # not a comment")]
    [InlineData("A=\"a\\nb\"", "a\nb")]
    [InlineData("A=\"a\\r\\nb\"", "a\r\nb")]
    [InlineData("A=\"a\\tb\"", "a\tb")]
    [InlineData("A=\"say \\\"hi\\\"\"", "say \"hi\"")]
    [InlineData("A=\"back\\\\slash\"", "back\\slash")]
    [InlineData("A=\"\\\\n\"", "\\n")]
    [InlineData("A=\"trailing\\\\\"", "trailing\\")]
    [InlineData("A=\"\\$HOME\"", "$HOME")]
    [InlineData("A=\"$$HOME\"", "$HOME")]
    [InlineData("A=\"\\x41\"", "\\x41")]
    [InlineData("A=\"\\0101\"", "A")]
    [InlineData("A=\"\\0\"", "\\0")]
    [InlineData("A=\"it's\"", "it's")]
    [InlineData("A=\"line1\nline2\"", "line1\nline2")]
    [InlineData("A=\"x\" # comment", "x")]
    public void Double_quoted_values_understand_escapes(string text, string expected)
    {
        Assert.Equal(expected, Single(text));
    }

    [Theory]
    [InlineData("B=bee\nA=$B", "bee")]
    [InlineData("B=bee\nA=${B}-x", "bee-x")]
    [InlineData("B=bee\nA=\"${B} x\"", "bee x")]
    [InlineData("B=bee\nA='${B}'", "${B}")]
    [InlineData("A=${NOPE:-fallback}", "fallback")]
    [InlineData("A=$$NOPE", "$NOPE")]
    [InlineData("A=price 5$", "price 5$")]
    [InlineData("ENVVAR=file\nA=$ENVVAR", "from-lookup")]
    public void Unquoted_and_double_quoted_values_are_interpolated_like_compose(string text, string expected)
    {
        var result = DotEnv.Parse(text, name => name == "ENVVAR" ? "from-lookup" : null);

        Assert.Empty(result.Errors);
        Assert.Equal(expected, result.Entries[^1].Value);
    }

    [Fact]
    public void Unset_variable_becomes_empty_with_a_warning()
    {
        var result = DotEnv.Parse("\nA=x$NOPE");

        Assert.Equal("x", Assert.Single(result.Entries).Value);
        Assert.Equal(new DotEnvError(2, 3, "variable 'NOPE' is not set; substituting an empty string"), Assert.Single(result.Warnings));
    }

    [Fact]
    public void Later_key_refers_only_to_earlier_ones()
    {
        var result = DotEnv.Parse("A=$B\nB=bee");

        Assert.Equal("", result.Entries[0].Value);
    }

    [Fact]
    public void Blank_lines_and_comments_are_skipped_and_lines_are_counted()
    {
        const string Text = """
            # header

              # indented comment
            A=1

            export B='two'
            C="three
            lines"
            D=4
            """;

        var result = DotEnv.Parse(Text);

        Assert.Empty(result.Errors);
        Assert.Equal(
            [new DotEnvEntry("A", "1", 4), new DotEnvEntry("B", "two", 6), new DotEnvEntry("C", "three\nlines", 7), new DotEnvEntry("D", "4", 9)],
            result.Entries);
    }

    [Fact]
    public void Duplicate_key_keeps_its_first_position_and_the_later_value_with_a_warning()
    {
        var result = DotEnv.Parse("A=1\nB=2\nA=3");

        Assert.Equal([new DotEnvEntry("A", "3", 3), new DotEnvEntry("B", "2", 2)], result.Entries);
        Assert.Equal(new DotEnvError(3, 1, "key 'A' is set again (line 1); the later value wins"), Assert.Single(result.Warnings));
        Assert.Equal("3", result.ToDictionary()["A"]);
    }

    [Theory]
    [InlineData("A", 1, 1, "this line has no '=': every line of an env file is KEY=value (the line is not shown: it may hold a secret) (compose would copy a bare KEY from the environment; write KEY=value)")]
    [InlineData("OK=1\n  LONELY  ", 2, 3, "this line has no '=': every line of an env file is KEY=value (the line is not shown: it may hold a secret) (compose would copy a bare KEY from the environment; write KEY=value)")]
    [InlineData("export A", 1, 8, "this line has no '=': every line of an env file is KEY=value (the line is not shown: it may hold a secret) (compose would copy a bare KEY from the environment; write KEY=value)")]
    [InlineData("A: 1", 1, 1, "this line has no '=': every line of an env file is KEY=value (the line is not shown: it may hold a secret) (write KEY=value, not KEY: value)")]
    [InlineData("A B=1", 1, 3, "expected '=' after key 'A'")]
    [InlineData("=1", 1, 1, "missing key before '='")]
    [InlineData("1A=1", 1, 1, "invalid key '1A': a key starts with a letter or '_'")]
    [InlineData("-A=1", 1, 1, "invalid key '-A': a key starts with a letter or '_'")]
    [InlineData("Ä=1", 1, 1, "invalid character 'Ä' at the start of a key")]
    [InlineData("A$=1", 1, 2, "invalid character '$' in key 'A$...'")]
    [InlineData("A='open", 1, 3, "unterminated quoted value for key 'A': missing closing '")]
    [InlineData("X=1\nA=\"open\nB=2", 2, 3, "unterminated quoted value for key 'A': missing closing \"")]
    [InlineData("A=\"escaped end\\\"", 1, 3, "unterminated quoted value for key 'A': missing closing \"")]
    [InlineData("A='x' y", 1, 7, "unexpected text after the closing ' of key 'A' (quote the whole value, or start a comment with ' #')")]
    [InlineData("A=\"x\"y", 1, 6, "unexpected text after the closing \" of key 'A' (quote the whole value, or start a comment with ' #')")]
    [InlineData("A=${NOPE:?is required}", 1, 3, "required variable 'NOPE' is unset or empty")]
    [InlineData("A=ab${", 1, 5, "unterminated '${' in the value: missing '}'")]
    [InlineData("A=\"ab${\"", 1, 6, "unterminated '${' in the value: missing '}'")]
    public void Malformed_lines_are_errors_with_line_and_column(string text, int line, int column, string message)
    {
        var result = DotEnv.Parse(text);

        Assert.Contains(new DotEnvError(line, column, message), result.Errors);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public void Parsing_continues_after_a_bad_line()
    {
        var result = DotEnv.Parse("A=1\nbad line\nB=2\n9=x\nC=3");

        Assert.Equal(["A", "B", "C"], result.Entries.Select(e => e.Key));
        Assert.Equal([2, 4], result.Errors.Select(e => e.Line));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    [InlineData("a-b_c.d/e:f@g%h+i,j=k~l", "a-b_c.d/e:f@g%h+i,j=k~l")]
    [InlineData("http://host:8080/path", "http://host:8080/path")]
    [InlineData("has space", "'has space'")]
    [InlineData("#hash", "'#hash'")]
    [InlineData("x # y", "'x # y'")]
    [InlineData("$HOME", "'$HOME'")]
    [InlineData("say \"hi\"", "'say \"hi\"'")]
    [InlineData("back\\slash", "'back\\slash'")]
    [InlineData("ünï", "'ünï'")]
    [InlineData("it's", "\"it's\"")]
    [InlineData("it's $5", "\"it's \\$5\"")]
    [InlineData("line1\nline2", "\"line1\\nline2\"")]
    [InlineData("cr\r", "\"cr\\r\"")]
    [InlineData("ends with\\", "\"ends with\\\\\"")]
    [InlineData("'", "\"'\"")]
    [InlineData("\"", "'\"'")]
    public void Render_quotes_only_when_needed(string value, string expected)
    {
        Assert.Equal(expected, DotEnv.Quote(value));
    }

    [Fact]
    public void Render_writes_header_comments_then_one_line_per_entry()
    {
        var text = DotEnv.Render(
            [new("A", "1"), new("B", "two words"), new("C", "")],
            "Generated by slipway\n\ndo not edit");

        Assert.Equal("# Generated by slipway\n#\n# do not edit\nA=1\nB='two words'\nC=\n", text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1A")]
    [InlineData("A B")]
    [InlineData("A=B")]
    public void Render_rejects_invalid_keys(string key)
    {
        Assert.Throws<ArgumentException>(() => DotEnv.Render([new(key, "x")]));
    }

    public static TheoryData<string> TrickyValues => new()
    {
        "",
        "plain",
        " leading and trailing ",
        "\ttab",
        "with # hash",
        "#start",
        "a=b",
        "$HOME",
        "${HOME:-x}",
        "$$",
        "price 5$",
        "single ' quote",
        "double \" quote",
        "both ' and \"",
        "both ' and \" and $VAR",
        "back\\slash",
        "trailing backslash\\",
        "trailing backslash and quote '\\",
        "\\n is not a newline",
        "\\\"",
        "\\$",
        "real\nnewline",
        "multi\nline ' with $ and \"",
        "crlf\r\n",
        "ünïcödé ✓ 日本語 🚀",
        "'quoted'",
        "\"quoted\"",
        "x # y",
        "export",
        "=",
        "{braces}",
        "${",
        "\\0101",
        "\\x41",
    };

    [Theory]
    [MemberData(nameof(TrickyValues))]
    public void Parse_reads_back_exactly_what_Render_wrote(string value)
    {
        var entries = new[] { new KeyValuePair<string, string>("KEY", value), new KeyValuePair<string, string>("NEXT", "after") };

        var result = DotEnv.Parse(DotEnv.Render(entries, "header"), _ => "SHOULD-NOT-BE-USED");

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        Assert.Equal(entries, result.Entries.Select(e => new KeyValuePair<string, string>(e.Key, e.Value)));
    }

    [Theory]
    [InlineData("A", true)]
    [InlineData("_a", true)]
    [InlineData("a.b-c_9", true)]
    [InlineData("", false)]
    [InlineData("9a", false)]
    [InlineData("-a", false)]
    [InlineData("a b", false)]
    [InlineData("a[0]", false)]
    public void Keys_start_with_a_letter_or_underscore(string key, bool valid)
    {
        Assert.Equal(valid, DotEnv.IsValidKey(key));
    }
}
