using Slipway.Core.Diagnostics;
using Slipway.Core.Webapps;

namespace Slipway.Core.Tests.Webapps;

public sealed class WebappRulesTests
{
    [Theory]
    [InlineData("""{ "dependencies": { "next": "14.0.0", "react": "18" } }""", WebappBase.NextJs)]
    [InlineData("""{ "dependencies": { "react": "18" }, "devDependencies": { "next": "14" } }""", WebappBase.Generic)]
    [InlineData("""{ "name": "x" }""", WebappBase.Generic)]
    [InlineData(null, WebappBase.Generic)]
    public void The_base_image_is_nextjs_only_when_package_json_depends_on_next(string? packageJson, string expected)
    {
        var diagnostics = new DiagnosticBag();
        Assert.Equal(expected, WebappBase.Determine(packageJson, "app/package.json", diagnostics));
        Assert.False(diagnostics.HasErrors);
    }

    [Fact]
    public void A_package_json_that_is_not_json_is_an_error_at_its_line()
    {
        var diagnostics = new DiagnosticBag();
        WebappBase.Determine("{\n  \"dependencies\": { \"next\": }\n}", "app/package.json", diagnostics);
        var error = Assert.Single(diagnostics.Sorted());
        Assert.StartsWith("app/package.json:2:", error.ToString());
    }

    [Theory]
    [InlineData("https://app.example.org", "app.example.org", "/")]
    [InlineData("https://app.example.org/", "app.example.org", "/")]
    [InlineData("http://app.example.org/shop/v1", "app.example.org", "/shop/v1")]
    public void A_url_becomes_the_ingress_host_and_path(string url, string host, string path)
    {
        Assert.Equal((host, path), WebappSpec.ParseUrl(url, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("app.example.org")]
    [InlineData("ftp://app.example.org/")]
    [InlineData("https://app.example.org/?q=1")]
    public void A_url_that_is_not_a_host_and_path_is_refused(string url)
    {
        Assert.Null(WebappSpec.ParseUrl(url, out var error));
        Assert.Contains(url, error);
    }

    [Theory]
    [InlineData("cerc/app:local", true)]
    [InlineData("127.0.0.1:5000/org/app:1.2", true)]
    [InlineData("registry.example.org/app@sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("cerc/My-App:local", false)]
    [InlineData("cerc/app with space", false)]
    [InlineData("cerc/app:", false)]
    public void Image_references_follow_dockers_grammar(string reference, bool valid) => Assert.Equal(valid, ImageReference.IsValid(reference));
}
