using Slipway.Core.Diagnostics;
using Slipway.Core.Distribution;

namespace Slipway.Core.Tests.Distribution;

/// <summary>update's ~/.slipway/config.yml (and laconic-so's file): the release URL and its checksum, errors at file:line:column.</summary>
public sealed class DistributionConfigTests
{
    private const string File = "/home/ops/.slipway/config.yml";

    private static (DistributionConfig? Config, DiagnosticBag Diagnostics) Parse(string text, bool laconic = false)
    {
        var diagnostics = new DiagnosticBag();
        return (DistributionConfig.Parse(text, File, laconic, diagnostics), diagnostics);
    }

    [Fact]
    public void The_url_and_an_upper_case_checksum_are_read_and_the_checksum_kept_in_lower_case()
    {
        var sha = new string('A', 64);

        var (config, diagnostics) = Parse($"distribution-url: https://releases.example.com/slipway.tar.gz\ndistribution-sha256: {sha}\n");

        Assert.Empty(diagnostics.Items);
        Assert.Equal(new Uri("https://releases.example.com/slipway.tar.gz"), config!.Url);
        Assert.Equal(new string('a', 64), config.Sha256);
        Assert.Equal((1, 19), (config.UrlLocation.Line, config.UrlLocation.Column));
    }

    [Fact]
    public void A_file_without_a_url_sets_nothing_and_an_empty_file_is_no_error()
    {
        Assert.Null(Parse("distribution-sha256: \n").Config);
        var (config, diagnostics) = Parse("");

        Assert.Null(config);
        Assert.Empty(diagnostics.Items);
    }

    [Theory]
    [InlineData("distribution-url: ftp://example.com/slipway\n", "is not an https:// URL", 1, 19)]
    [InlineData("distribution-url: http://example.com/slipway.tar.gz\n", "is plain http to example.com", 1, 19)]
    [InlineData("distribution-url: https://example.com/s.tar.gz\ndistribution-sha256: abc\n", "distribution-sha256 is not a SHA-256", 2, 22)]
    [InlineData("distribution-url: https://example.com/s.tar.gz\ndistribution-ur: x\n", "unknown key 'distribution-ur'", 2, 1)]
    public void A_bad_value_or_an_unknown_key_is_an_error_at_its_place(string text, string message, int line, int column)
    {
        var (_, diagnostics) = Parse(text);

        var error = Assert.Single(diagnostics.Items);
        Assert.True(error.IsError);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal((File, line, column), (error.Location!.File, error.Location.Line, error.Location.Column));
    }

    [Fact]
    public void Plain_http_is_allowed_to_this_machine_and_laconic_sos_other_keys_are_its_own()
    {
        var (local, localDiagnostics) = Parse("distribution-url: http://127.0.0.1:8080/slipway.tar.gz\n");
        var (laconic, laconicDiagnostics) = Parse("distribution-url: https://example.com/laconic-so\nsomething-else: 1\n", laconic: true);

        Assert.Empty(localDiagnostics.Items);
        Assert.Equal("127.0.0.1", local!.Url.Host);
        Assert.Empty(laconicDiagnostics.Items);
        Assert.NotNull(laconic);
    }

    [Theory]
    [InlineData("3f2a%  slipway.tar.gz\n", true)]
    [InlineData("3f2a%\n", true)]
    [InlineData("not a checksum\n", false)]
    [InlineData("", false)]
    public void A_checksum_file_is_sha256sums_output_or_the_bare_digest(string text, bool valid)
    {
        var digest = new string('c', 60) + "3f2a";

        var parsed = DistributionConfig.ParseChecksumFile(text.Replace("3f2a%", digest, StringComparison.Ordinal));

        Assert.Equal(valid ? digest : null, parsed);
    }
}
