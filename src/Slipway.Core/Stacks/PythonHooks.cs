using System.Text.RegularExpressions;

namespace Slipway.Core.Stacks;

/// <summary>
/// laconic-so's Python hooks (<c>deploy/commands.py</c> in a stack, or in a dict pod's repository): Slipway runs no
/// Python, so a stack that has them is told which of init/setup/create/start the file defines and what each becomes
/// here, instead of losing them silently. A hook already ported (an executable of that name in hooks/) is not named.
/// </summary>
public static partial class PythonHooks
{
    public const string RelativePath = "deploy/commands.py";

    public static readonly IReadOnlyList<string> Names = ["init", "setup", "create", "start"];

    /// <summary>The hooks the module defines at top level (<c>def NAME(</c> at the start of a line), in laconic-so's order.</summary>
    public static IReadOnlyList<string> Defined(string text)
    {
        var found = Definition().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        return [.. Names.Where(found.Contains)];
    }

    /// <summary>One warning per defined hook not yet ported, each with its line and how to port it.</summary>
    /// <param name="ported">Whether the stack has an executable hooks/NAME already.</param>
    public static IReadOnlyList<string> Warnings(string file, string text, Func<string, bool> ported)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var warnings = new List<string>();
        foreach (var hook in Defined(text).Where(h => !ported(h)))
        {
            var line = Array.FindIndex(lines, l => Definition().Match(l) is { Success: true } m && m.Groups[1].Value == hook) + 1;
            warnings.Add($"{file}:{line}: defines {hook}(), which Slipway does not run (it runs no Python): {Port(hook)} (docs/laconic-parity.md, \"Porting commands.py\")");
        }

        return warnings;
    }

    /// <summary>What a laconic-so hook becomes in Slipway.</summary>
    public static string Port(string hook) => hook switch
    {
        "init" => "port it to an executable hooks/init that prints the spec defaults init() returned, as YAML on stdout; deploy init merges them into the spec (--config still wins)",
        "setup" => "port it to an executable hooks/setup; deploy setup runs it with each flag as SLIPWAY_SETUP_<FLAG> (--chain-id X: SLIPWAY_SETUP_CHAIN_ID=X) and the extra arguments as its arguments",
        "create" => "port it to an executable hooks/create; deploy create (also --update and restart's sync) runs it in D with SLIPWAY_DEPLOYMENT_DIR, SLIPWAY_DEPLOYMENT_ID, SLIPWAY_STACK, SLIPWAY_SPEC, "
            + "SLIPWAY_NETWORK_DIR and SLIPWAY_INITIAL_PEERS, the extra arguments as its arguments; modify_yaml becomes editing D's files",
        "start" => "there is no start hook: put it in the spec's hooks.post-deploy, which runs after every start and restart once verified, with SLIPWAY_DEPLOYMENT_DIR and SLIPWAY_DEPLOY_TO "
            + "(on k8s reach the cluster with kubectl --kubeconfig $SLIPWAY_DEPLOYMENT_DIR/kubeconfig.yml)",
        _ => throw new ArgumentOutOfRangeException(nameof(hook), hook, "not a laconic-so hook"),
    };

    [GeneratedRegex(@"^def[ \t]+(init|setup|create|start)[ \t]*\(", RegexOptions.Multiline)]
    private static partial Regex Definition();
}
