using Slipway.Core.Stacks;

namespace Slipway.Core.Tests.Stacks;

/// <summary>laconic-so's commands.py: which hooks it defines, which modules a hook runs from, and how D/hooks names its copies.</summary>
public sealed class PythonHooksTests
{
    private const string Module = """
        from stack_orchestrator.util import get_yaml

        def _helper(x):
            return x

        def create(deployment_context, extra_args):
            def init(nested):
                pass
            deployment_context.modify_yaml("compose/x.yml", lambda y: y)

        def init(command_context):
            return {"config": {"A": "1"}}

        class Hooks:
            def setup(self):
                pass

        def start (deployment_context):
            pass
        """;

    [Fact]
    public void Only_top_level_hook_definitions_count_in_laconic_sos_order()
    {
        Assert.Equal(["init", "create", "start"], PythonHooks.Defined(Module));
        Assert.Empty(PythonHooks.Defined("import os\n"));
    }

    [Fact]
    public void The_line_of_a_hook_is_its_top_level_definition_not_a_nested_one()
    {
        Assert.Equal(11, PythonHooks.Line(Module, "init"));
        Assert.Equal(18, PythonHooks.Line(Module, "start"));
        Assert.Equal(0, PythonHooks.Line(Module, "setup"));
    }

    [Fact]
    public void Init_runs_from_the_first_module_defining_it_and_the_other_hooks_from_every_one()
    {
        HookModule stack = new("/s/deploy/commands.py", "def create(c, e):\n    pass\n"), podA = new("/r/a/stack/deploy/commands.py", "def init(c):\n    return {}\ndef create(c, e):\n    pass\n"),
            podB = new("/r/b/stack/deploy/commands.py", "def init(c):\n    return {}\n");
        HookModule[] modules = [stack, podA, podB];

        Assert.Equal([podA], PythonHooks.Select("init", modules));
        Assert.Equal([stack, podA], PythonHooks.Select("create", modules));
        Assert.Empty(PythonHooks.Select("start", modules));
    }

    [Fact]
    public void One_module_is_copied_into_d_as_commands_py_and_several_as_numbered_copies_in_their_order()
    {
        Assert.Empty(PythonHooks.CopyNames(0));
        Assert.Equal(["commands.py"], PythonHooks.CopyNames(1));
        Assert.Equal(["commands_0.py", "commands_1.py", "commands_2.py"], PythonHooks.CopyNames(3));
    }

    [Fact]
    public void The_copies_in_d_are_read_back_in_copy_order_numerically_and_nothing_else_counts()
    {
        var names = new[] { "commands_10.py", "commands.py.bak", "commands_2.py", "other.py", "commands_0.py", "commands_x.py", "commands.py" };

        Assert.Equal(["commands.py", "commands_0.py", "commands_2.py", "commands_10.py"], PythonHooks.OrderCopies(names));
    }

    [Theory]
    [InlineData("create", "an executable hooks/create")]
    [InlineData("start", "the spec's hooks.post-deploy")]
    public void Without_python_the_failure_says_what_to_install_or_where_to_port(string hook, string port)
    {
        Assert.Equal($"/s/deploy/commands.py:3: defines {hook}(), which runs under python3, and 'python3' could not be started", PythonHooks.NeedsPython(hook, "/s/deploy/commands.py", 3, "python3"));
        Assert.Contains("apt-get install python3 python3-yaml", PythonHooks.NeedsPythonHint(hook));
        Assert.Contains(port, PythonHooks.NeedsPythonHint(hook));
    }
}
