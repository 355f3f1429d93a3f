using Slipway.Core.Diagnostics;
using Slipway.Core.Stacks;

namespace Slipway.Core.Tests.Stacks;

public sealed class StackListFilterTests
{
    private static readonly string[] Npms = ["laconic-sdk", "laconic-registry-cli", "watcher-ts"];

    [Fact]
    public void Without_filters_every_entry_is_selected_in_the_stack_s_order() =>
        Assert.Equal(Npms, StackListFilter.Select(Npms, [], [], "npms"));

    [Fact]
    public void Include_keeps_only_the_named_entries_in_the_stack_s_order_not_the_filter_s() =>
        Assert.Equal(["laconic-sdk", "watcher-ts"], StackListFilter.Select(Npms, ["watcher-ts", "laconic-sdk"], [], "npms"));

    [Fact]
    public void Exclude_drops_the_named_entries_also_when_they_are_included() =>
        Assert.Equal(["laconic-registry-cli"], StackListFilter.Select(Npms, ["laconic-sdk", "laconic-registry-cli"], ["laconic-sdk"], "npms"));

    [Fact]
    public void A_filter_naming_an_entry_the_stack_does_not_list_is_an_error_listing_what_it_does()
    {
        var e = Assert.Throws<SlipwayException>(() => StackListFilter.Select(Npms, [], ["laconic"], "npms"));

        Assert.Equal(FailureReason.NotFound, e.Reason);
        Assert.Equal("--exclude names laconic, which the stack does not list under npms", e.Message);
        Assert.Equal("npms: laconic-sdk, laconic-registry-cli, watcher-ts", e.Hint);
    }

    [Fact]
    public void A_filter_on_an_empty_list_says_the_stack_lists_none()
    {
        var e = Assert.Throws<SlipwayException>(() => StackListFilter.Select([], ["shop/web"], [], "containers"));

        Assert.Equal("--include names shop/web, which the stack does not list under containers", e.Message);
        Assert.Equal("the stack lists no containers", e.Hint);
    }
}
