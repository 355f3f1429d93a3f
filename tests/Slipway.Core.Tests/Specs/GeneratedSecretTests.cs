using System.Text.RegularExpressions;
using Slipway.Core.Specs;

namespace Slipway.Core.Tests.Specs;

public sealed class GeneratedSecretTests
{
    private static byte[] Counting(int n) => Enumerable.Range(0, n).Select(i => (byte)(i + 1)).ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(1024)]
    public void Hex_n_gives_2n_lowercase_hex_characters(int n)
    {
        var value = GeneratedSecret.Generate($"$generate:hex:{n}$");

        Assert.Matches($"^[0-9a-f]{{{2 * n}}}$", value);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(33)]
    public void Base64_n_encodes_n_random_bytes(int n)
    {
        var value = GeneratedSecret.Generate($"$generate:base64:{n}$");

        Assert.Equal(n, Convert.FromBase64String(value).Length);
    }

    [Fact]
    public void Bytes_come_from_the_given_source()
    {
        Assert.Equal("010203", GeneratedSecret.Generate("$generate:hex:3$", Counting));
        Assert.Equal("AQID", GeneratedSecret.Generate("$generate:base64:3$", Counting));
    }

    [Fact]
    public void Each_call_draws_fresh_bytes()
    {
        Assert.NotEqual(GeneratedSecret.Generate("$generate:hex:16$"), GeneratedSecret.Generate("$generate:hex:16$"));
    }

    [Fact]
    public void Tokens_inside_longer_text_are_replaced_in_place()
    {
        var value = GeneratedSecret.Generate("postgres://app:$generate:hex:2$@db/app?k=$generate:base64:3$", Counting);

        Assert.Equal("postgres://app:0102@db/app?k=AQID", value);
    }

    [Theory]
    [InlineData("$generate:hex:16$", true)]
    [InlineData("x$generate:oops", true)]
    [InlineData("generate:hex:16", false)]
    [InlineData("plain", false)]
    public void Contains_token_detects_the_generate_prefix(string value, bool expected)
    {
        Assert.Equal(expected, GeneratedSecret.ContainsToken(value));
    }

    [Theory]
    [InlineData("$generate:hex:16$")]
    [InlineData("$generate:base64:1024$")]
    [InlineData("a$generate:hex:1$b$generate:base64:2$c")]
    public void Valid_tokens_have_no_errors(string value)
    {
        Assert.Empty(GeneratedSecret.Validate(value));
    }

    [Theory]
    [InlineData("$generate:hex:0$", "'$generate:hex:0$' asks for 0 bytes; give 1 to 1024")]
    [InlineData("$generate:base64:1025$", "'$generate:base64:1025$' asks for 1025 bytes; give 1 to 1024")]
    [InlineData("$generate:octal:8$", "a '$generate:' token must read $generate:hex:N$ or $generate:base64:N$")]
    [InlineData("$generate:hex:16", "a '$generate:' token must read $generate:hex:N$ or $generate:base64:N$")]
    [InlineData("$generate:hex:$", "a '$generate:' token must read $generate:hex:N$ or $generate:base64:N$")]
    [InlineData("$generate:HEX:8$", "a '$generate:' token must read $generate:hex:N$ or $generate:base64:N$")]
    [InlineData("$generate:hex:8$ and $generate:bad$", "a '$generate:' token must read $generate:hex:N$ or $generate:base64:N$")]
    [InlineData("$generate:hex:9999999$", "a '$generate:' token must read $generate:hex:N$ or $generate:base64:N$")]
    public void Invalid_tokens_are_explained(string value, string error)
    {
        Assert.Equal([error], GeneratedSecret.Validate(value));
    }

    [Fact]
    public void Text_without_tokens_is_left_unchanged()
    {
        Assert.Equal("no secrets here", GeneratedSecret.Generate("no secrets here", _ => throw new InvalidOperationException()));
        Assert.DoesNotMatch(new Regex("generate"), GeneratedSecret.Generate("$generate:hex:4$"));
    }
}
