using Slipway.Core.Diagnostics;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Files;
using Slipway.TestKit;

namespace Slipway.Core.Tests.Stacks;

public sealed class StackResolverTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Theory]
    [InlineData("./stacks/test", true)]
    [InlineData("../test", true)]
    [InlineData("stacks/test", true)]
    [InlineData("/abs/test", true)]
    [InlineData("~/stacks/test", true)]
    [InlineData(".hidden", true)]
    [InlineData("test", false)]
    [InlineData("fixturenet-eth", false)]
    public void Values_with_a_separator_or_leading_dot_or_tilde_are_paths(string value, bool isPath)
    {
        Assert.Equal(isPath, StackResolver.IsPath(value));
    }

    [Fact]
    public void Relative_path_resolves_against_the_base_directory_not_the_current_one()
    {
        var resolved = StackResolver.Resolve("./stacks/../stacks/test", _workspace.Combine("ops"), [], new DiskHostFiles());

        Assert.Equal(_workspace.Combine("ops", "stacks", "test"), resolved);
    }

    [Fact]
    public void A_path_is_returned_even_when_it_does_not_exist_so_loading_can_say_so()
    {
        Assert.Equal("/nowhere/stack", StackResolver.Resolve("/nowhere/stack", _workspace.Path, [], new DiskHostFiles()));
    }

    [Fact]
    public void Tilde_expands_to_the_home_directory()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

        Assert.Equal(Path.Combine(home, "stacks", "test"), StackResolver.Resolve("~/stacks/test", _workspace.Path, [], new DiskHostFiles()));
        Assert.Equal(home, StackResolver.ExpandHome("~"));
        Assert.Equal("~other/x", StackResolver.ExpandHome("~other/x"));
    }

    [Fact]
    public void Bare_name_finds_the_first_shipped_stack_that_has_a_stack_yml()
    {
        Directory.CreateDirectory(_workspace.Combine("shipped1", "test"));
        _workspace.WriteFile("shipped2/test/stack.yml", "pods: [test]\n");
        _workspace.WriteFile("shipped3/test/stack.yml", "pods: [test]\n");

        var resolved = StackResolver.Resolve("test", _workspace.Path, [_workspace.Combine("shipped1"), _workspace.Combine("shipped2"), _workspace.Combine("shipped3")], new DiskHostFiles());

        Assert.Equal(_workspace.Combine("shipped2", "test"), resolved);
    }

    [Fact]
    public void Shipped_stack_wins_over_a_local_directory_of_the_same_name()
    {
        _workspace.WriteFile("shipped/test/stack.yml", "pods: [test]\n");
        _workspace.WriteFile("work/test/stack.yml", "pods: [test]\n");

        Assert.Equal(_workspace.Combine("shipped", "test"), StackResolver.Resolve("test", _workspace.Combine("work"), [_workspace.Combine("shipped")], new DiskHostFiles()));
    }

    [Fact]
    public void Bare_name_falls_back_to_a_directory_under_the_base_directory()
    {
        Directory.CreateDirectory(_workspace.Combine("work", "mine"));

        Assert.Equal(_workspace.Combine("work", "mine"), StackResolver.Resolve("mine", _workspace.Combine("work"), [_workspace.Combine("shipped")], new DiskHostFiles()));
    }

    [Fact]
    public void Unknown_bare_name_is_not_found()
    {
        var error = Assert.Throws<SlipwayException>(() => StackResolver.Resolve("ghost", _workspace.Path, [_workspace.Path], new DiskHostFiles()));

        Assert.Equal(FailureReason.NotFound, error.Reason);
        Assert.Contains("'ghost'", error.Message);
    }

    [Fact]
    public void A_mistyped_shipped_stack_name_gets_a_did_you_mean_and_the_shipped_names()
    {
        _workspace.WriteFile("shipped/hello/stack.yml", "pods: [web]\n");
        _workspace.WriteFile("shipped/webapp/stack.yml", "pods: [web]\n");

        var error = Assert.Throws<SlipwayException>(() => StackResolver.Resolve("helo", _workspace.Combine("work"), [_workspace.Combine("shipped")], new DiskHostFiles()));

        Assert.Equal(FailureReason.NotFound, error.Reason);
        Assert.Equal("did you mean 'hello'? (shipped stacks: hello, webapp)", error.Hint);
    }
}
