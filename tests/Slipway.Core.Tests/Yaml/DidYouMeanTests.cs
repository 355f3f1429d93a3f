using Slipway.Core.Yaml;

namespace Slipway.Core.Tests.Yaml;

public sealed class DidYouMeanTests
{
    private static readonly string[] SpecKeys = ["stack", "deploy-to", "config", "network", "volumes", "replicas", "namespace", "configmaps"];

    [Theory]
    [InlineData("stak", "stack")]
    [InlineData("satck", "stack")]
    [InlineData("deploy_to", "deploy-to")]
    [InlineData("deployto", "deploy-to")]
    [InlineData("replica", "replicas")]
    [InlineData("Config", "config")]
    [InlineData("VOLUMES", "volumes")]
    [InlineData("namespaces", "namespace")]
    [InlineData("config-maps", "configmaps")]
    public void Misspelt_names_suggest_the_nearest_known_name(string unknown, string expected)
    {
        Assert.Equal(expected, DidYouMean.Suggest(unknown, SpecKeys));
        Assert.Equal($"did you mean '{expected}'?", DidYouMean.Hint(unknown, SpecKeys));
    }

    [Theory]
    [InlineData("foo")]
    [InlineData("xyz")]
    [InlineData("completely-different")]
    [InlineData("ports")]
    public void Names_far_from_every_known_name_get_no_suggestion(string unknown)
    {
        Assert.Null(DidYouMean.Suggest(unknown, SpecKeys));
        Assert.Null(DidYouMean.Hint(unknown, SpecKeys));
    }

    [Fact]
    public void Short_names_allow_two_edits_and_long_names_a_third_of_their_length()
    {
        Assert.Equal("ab", DidYouMean.Suggest("xy", ["ab"]));
        Assert.Null(DidYouMean.Suggest("xyz", ["abc"]));
        Assert.Equal("abcdefghijkl", DidYouMean.Suggest("abcdefghiXYZ", ["abcdefghijkl"]));
        Assert.Null(DidYouMean.Suggest("abcdeVWXYZkl", ["abcdefghijkl"]));
    }

    [Fact]
    public void Ties_go_to_the_first_known_name()
    {
        Assert.Equal("cat", DidYouMean.Suggest("bat", ["cat", "hat"]));
    }

    [Fact]
    public void No_known_names_give_no_suggestion()
    {
        Assert.Null(DidYouMean.Suggest("stack", []));
    }

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("abc", "", 3)]
    [InlineData("abc", "abc", 0)]
    [InlineData("abc", "acb", 1)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("ca", "abc", 3)]
    public void Distance_counts_insertions_deletions_substitutions_and_adjacent_swaps(string a, string b, int expected)
    {
        Assert.Equal(expected, DidYouMean.Distance(a, b));
        Assert.Equal(expected, DidYouMean.Distance(b, a));
    }
}
