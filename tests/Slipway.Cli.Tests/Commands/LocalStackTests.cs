using Slipway.Cli.Commands;

namespace Slipway.Cli.Tests.Commands;

/// <summary>--local-stack: laconic-so's dev root is the folder holding the stack-orchestrator checkout.</summary>
public sealed class LocalStackTests
{
    [Theory]
    [InlineData("/home/op/cerc/stack-orchestrator", "/home/op/cerc")]
    [InlineData("/home/op/cerc/stack-orchestrator/stack_orchestrator/data/stacks", "/home/op/cerc")]
    public void The_dev_root_is_the_parent_of_the_stack_orchestrator_folder(string currentDirectory, string expected) =>
        Assert.Equal(expected, SlipwayCli.LocalStackRoot(currentDirectory));

    [Fact]
    public void Outside_a_checkout_there_is_no_dev_root() => Assert.Null(SlipwayCli.LocalStackRoot("/home/op/work/stacks"));
}
