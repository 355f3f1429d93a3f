using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;

namespace Slipway.Core.Tests.Stacks;

public sealed class RepositoryLocatorTests
{
    [Theory]
    [InlineData("cerc-io/registry-sdk", "github.com", "cerc-io", "registry-sdk", null)]
    [InlineData("git.vdb.to/cerc-io/hosting@v1.2", "git.vdb.to", "cerc-io", "hosting", "v1.2")]
    [InlineData("github.com/cerc-io/act_runner@feature/x", "github.com", "cerc-io", "act_runner", "feature/x")]
    public void Locators_have_a_host_org_repo_and_optional_ref_and_two_parts_mean_github(string text, string host, string org, string name, string? reference)
    {
        var locator = RepositoryLocator.Parse(text);

        Assert.Equal((host, org, name, reference), (locator.Host, locator.Org, locator.Name, locator.Ref));
        Assert.Equal($"https://{host}/{org}/{name}", locator.HttpsUrl);
        Assert.Equal($"git@{host}:{org}/{name}", locator.SshUrl);
        Assert.Equal(name, locator.DirectoryName);
    }

    [Theory]
    [InlineData("registry-sdk")]
    [InlineData("a/b/c/d")]
    [InlineData("cerc-io/")]
    [InlineData("cerc-io/x@")]
    [InlineData("https://github.com/cerc-io/x")]
    [InlineData("cerc-io/../x")]
    public void Anything_else_is_invalid_input_with_the_form(string text)
    {
        var error = Assert.Throws<SlipwayException>(() => RepositoryLocator.Parse(text));

        Assert.Equal(FailureReason.InvalidInput, error.Reason);
        Assert.Contains("host/org/repo[@ref]", error.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("github.com/cerc-io/registry-sdk", true)]
    [InlineData("cerc-io/registry-sdk", true)] // laconic-so matched nothing here
    [InlineData("registry-sdk", true)]
    [InlineData("cerc-io/registry-sdk@v1", true)]
    [InlineData("cerc-io/registry-sdk@v2", false)]
    [InlineData("other/registry-sdk", false)]
    [InlineData("registry", false)]
    public void Include_and_exclude_entries_match_the_full_locator_org_and_repo_or_the_repo_name(string filter, bool matches)
    {
        Assert.Equal(matches, RepositoryLocator.Parse("github.com/cerc-io/registry-sdk@v1").Matches(filter));
    }

    [Theory]
    [InlineData("host:5000/team", "cerc/foo:local", "host:5000/team/cerc/foo:local")]
    [InlineData("host:5000/team/", "foo:abc", "host:5000/team/foo:abc")]
    [InlineData("host:5000", "old.example.org:5000/cerc/foo:abc", "host:5000/cerc/foo:abc")]
    public void An_image_under_a_registry_keeps_its_own_org(string registry, string image, string expected)
    {
        Assert.Equal(expected, RegistryImages.Under(registry, image));
    }
}
