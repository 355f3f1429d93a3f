using System.Security.Cryptography;
using System.Text;
using Slipway.Core.Diagnostics;
using Slipway.Core.Yaml;

namespace Slipway.Core.Stacks;

/// <summary>
/// Stack mode (<c>slipway --stack S deploy [--include|--exclude PODS] up|down|ps|…</c>, no deployment directory): which
/// pods take part, and the compose project they run as.
/// </summary>
public static class StackSelection
{
    /// <summary>
    /// laconic-so's default project name for the same invocation, <c>laconic-</c> + 16 hex digits of the MD5 of
    /// <c>internal,&lt;--stack as given, as a Python path&gt;,&lt;--include&gt;,&lt;--exclude&gt;</c> (an absent flag reads
    /// <c>None</c>), so a stack it brought up is the one Slipway takes down.
    /// </summary>
    public static string DefaultProjectName(string stackArgument, string? include, string? exclude)
    {
        var descriptor = $"internal,{AsPythonPath(stackArgument)},{include ?? "None"},{exclude ?? "None"}";
        return "laconic-" + Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(descriptor)))[..16];
    }

    /// <summary>
    /// <paramref name="path"/> as laconic-so hashes it: <c>str(Path(stack))</c>, which drops <c>.</c> segments, repeated
    /// and trailing slashes (<c>./stacks/foo/</c> is <c>stacks/foo</c>; <c>..</c> stays; exactly two leading slashes stay,
    /// as POSIX allows).
    /// </summary>
    internal static string AsPythonPath(string path)
    {
        if (path.Length == 0) return ".";
        var leading = path.StartsWith("//", StringComparison.Ordinal) && !path.StartsWith("///", StringComparison.Ordinal) ? "//" : path.StartsWith('/') ? "/" : "";
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".");
        var joined = leading + string.Join('/', parts);
        return joined.Length == 0 ? "." : joined;
    }

    /// <summary>A comma-separated flag as its names (blanks dropped).</summary>
    public static IReadOnlyList<string> Names(string? list) =>
        list is null ? [] : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// The pods an invocation runs: every pod, or those <paramref name="include"/> names (it wins over exclude, as in
    /// laconic-so), or all but those <paramref name="exclude"/> names. A name the stack has no pod of is an error
    /// (laconic-so ignores it, so a typo silently runs everything or nothing).
    /// </summary>
    public static IReadOnlyList<PodReference> Pods(StackDefinition stack, string? include, string? exclude)
    {
        var known = stack.Pods.Select(p => p.Name).ToList();
        var unknown = Names(include).Concat(Names(exclude)).Where(n => !known.Contains(n)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            var first = unknown[0];
            throw new SlipwayException(FailureReason.Usage,
                $"the stack has no pod{(unknown.Count == 1 ? "" : "s")} {string.Join(", ", unknown.Select(u => $"'{u}'"))} (--include/--exclude name pods)",
                DidYouMean.Suggest(first, known) is { } near ? $"did you mean '{near}'? pods: {string.Join(", ", known)}" : $"pods: {string.Join(", ", known)}");
        }

        var included = Names(include);
        var excluded = Names(exclude);
        return stack.Pods.Where(p => included.Count > 0 ? included.Contains(p.Name) : !excluded.Contains(p.Name)).ToList();
    }
}
