using Slipway.Core.Stacks;

namespace Slipway.Core.Tests.Stacks;

/// <summary>laconic-so's commands.py: which hooks it defines, and the warning that says how to port each.</summary>
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
    public void Each_hook_not_ported_yet_is_named_at_its_line_with_what_it_becomes()
    {
        var warnings = PythonHooks.Warnings("/s/deploy/commands.py", Module, hook => hook == "create");

        Assert.Equal(2, warnings.Count);
        Assert.StartsWith("/s/deploy/commands.py:11: defines init(), which Slipway does not run (it runs no Python): port it to an executable hooks/init that prints the spec defaults", warnings[0]);
        Assert.StartsWith("/s/deploy/commands.py:18: defines start(), which Slipway does not run (it runs no Python): there is no start hook: put it in the spec's hooks.post-deploy", warnings[1]);
        Assert.All(warnings, w => Assert.EndsWith("(docs/laconic-parity.md, \"Porting commands.py\")", w));
    }

    [Theory]
    [InlineData("setup", "SLIPWAY_SETUP_<FLAG>")]
    [InlineData("create", "SLIPWAY_NETWORK_DIR")]
    public void The_advice_names_the_variables_the_ported_hook_gets(string hook, string variable) =>
        Assert.Contains(variable, PythonHooks.Port(hook));
}
