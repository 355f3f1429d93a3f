using System.Globalization;
using System.Text.RegularExpressions;

namespace Slipway.Core.Stacks;

/// <summary>
/// laconic-so's Python hooks (<c>deploy/commands.py</c> in a stack, or in a dict pod's repository): which of
/// init/setup/create/start a module defines, which modules a hook runs from, which an executable hooks/NAME of the
/// stack replaces, and how D/hooks names its copies (start() runs from those).
/// </summary>
public static partial class PythonHooks
{
    public const string RelativePath = "deploy/commands.py";

    /// <summary>D's folder of the copied modules (start() is loaded from there, as laconic-so's).</summary>
    public const string DeploymentFolder = "hooks";

    public static readonly IReadOnlyList<string> Names = ["init", "setup", "create", "start"];

    /// <summary>The hooks the module defines at top level (<c>def NAME(</c> at the start of a line), in laconic-so's order.</summary>
    public static IReadOnlyList<string> Defined(string text)
    {
        var found = Definition().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        return [.. Names.Where(found.Contains)];
    }

    /// <summary>The 1-based line of <c>def HOOK(</c>, 0 when the module does not define it.</summary>
    public static int Line(string text, string hook)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        return Array.FindIndex(lines, l => Definition().Match(l) is { Success: true } m && m.Groups[1].Value == hook) + 1;
    }

    /// <summary>
    /// The modules whose <paramref name="hook"/> runs, in the given order: for init only the first module defining it
    /// (laconic-so allows one), for the others every module defining it.
    /// </summary>
    public static IReadOnlyList<HookModule> Select(string hook, IReadOnlyList<HookModule> modules)
    {
        var defining = modules.Where(m => Defined(m.Text).Contains(hook)).ToList();
        return hook == "init" ? defining.Take(1).ToList() : defining;
    }

    /// <summary>
    /// The names of the copies in D/hooks: one module is <c>commands.py</c>, several are <c>commands_0.py</c>… in the
    /// order given (the stack's own first, then the pods' in stack order; laconic-so's order came from an unordered set).
    /// </summary>
    public static IReadOnlyList<string> CopyNames(int count) =>
        count == 1 ? ["commands.py"] : [.. Enumerable.Range(0, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"commands_{i}.py"))];

    /// <summary>D/hooks file names that are copies (<c>commands.py</c>, <c>commands_N.py</c>), in the order they were copied (N numerically).</summary>
    public static IReadOnlyList<string> OrderCopies(IEnumerable<string> fileNames) =>
        [.. fileNames.Where(n => Copy().IsMatch(n))
            .OrderBy(n => Copy().Match(n).Groups[1].Value is { Length: > 0 } i ? long.Parse(i, CultureInfo.InvariantCulture) : -1)];

    /// <summary>The info line of a hook that did not run because the stack has its executable port.</summary>
    public static string Superseded(string hook, string file, int line, string by) =>
        $"{file}:{line}: {hook}() not run: {by} takes precedence";

    /// <summary>The failure of a hook that would run, on a host without python3.</summary>
    public static string NeedsPython(string hook, string file, int line, string python) =>
        $"{file}:{line}: defines {hook}(), which runs under python3, and '{python}' could not be started";

    public static string NeedsPythonHint(string hook) =>
        $"install python3 and python3-yaml (apt-get install python3 python3-yaml; SLIPWAY_PYTHON names another interpreter), or port {hook}() to "
        + (hook == "start" ? "the spec's hooks.post-deploy" : $"an executable hooks/{hook}") + " (docs/laconic-parity.md, \"commands.py hooks\")";

    [GeneratedRegex(@"^def[ \t]+(init|setup|create|start)[ \t]*\(", RegexOptions.Multiline)]
    private static partial Regex Definition();

    [GeneratedRegex(@"^commands(?:_(\d{1,9}))?\.py$")]
    private static partial Regex Copy();
}

/// <summary>One commands.py: where it is and its text.</summary>
public sealed record HookModule(string Path, string Text);
