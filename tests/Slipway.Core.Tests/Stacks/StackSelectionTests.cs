using Slipway.Core.Diagnostics;
using Slipway.Core.Stacks;

namespace Slipway.Core.Tests.Stacks;

/// <summary>Stack mode's pod selection and laconic-so's default compose project name.</summary>
public sealed class StackSelectionTests
{
    private static readonly StackDefinition Stack = new()
    {
        FilePath = "/stacks/two/stack.yml",
        Pods = [new PodReference("front", new SourceLocation("/stacks/two/stack.yml", 3, 5)), new PodReference("back", new SourceLocation("/stacks/two/stack.yml", 4, 5))],
    };

    [Theory]
    // md5("internal,test,None,None") and md5("internal,test,web,None"), as laconic-so computes them.
    [InlineData("test", null, null, "laconic-dbd2244695a7da4b")]
    [InlineData("test", "web", null, "laconic-72084b8b490f603d")]
    public void The_default_project_name_is_laconic_sos_for_the_same_flags(string stack, string? include, string? exclude, string expected) =>
        Assert.Equal(expected, StackSelection.DefaultProjectName(stack, include, exclude));

    [Theory]
    // laconic-so hashes str(Path(--stack)): md5("internal,stacks/foo,None,None") for each spelling of that path.
    [InlineData("stacks/foo")]
    [InlineData("./stacks/foo")]
    [InlineData("stacks/foo/")]
    [InlineData("stacks//foo")]
    [InlineData("./stacks/./foo/")]
    public void The_default_project_name_hashes_the_stack_path_as_python_writes_it(string stack) =>
        Assert.Equal("laconic-f13fad2ac81bf67e", StackSelection.DefaultProjectName(stack, null, null));

    [Theory]
    [InlineData("../x/./y/", "../x/y")]
    [InlineData("//a//b", "//a/b")]
    [InlineData("///a", "/a")]
    [InlineData("./", ".")]
    [InlineData("/abs/./p/", "/abs/p")]
    public void Stack_paths_are_normalised_as_pythons_pathlib_does(string path, string expected) =>
        Assert.Equal(expected, StackSelection.AsPythonPath(path));

    [Fact]
    public void Include_wins_over_exclude_and_exclude_keeps_the_rest()
    {
        Assert.Equal(["front", "back"], StackSelection.Pods(Stack, null, null).Select(p => p.Name));
        Assert.Equal(["back"], StackSelection.Pods(Stack, "back", "back").Select(p => p.Name));
        Assert.Equal(["front"], StackSelection.Pods(Stack, null, " back ,").Select(p => p.Name));
    }

    [Fact]
    public void A_name_no_pod_has_is_a_usage_error_with_a_suggestion()
    {
        var error = Assert.Throws<SlipwayException>(() => StackSelection.Pods(Stack, "frnot", null));
        Assert.Equal(FailureReason.Usage, error.Reason);
        Assert.Contains("'frnot'", error.Message);
        Assert.Contains("did you mean 'front'?", error.Hint);
    }
}
