using Slipway.Core.Diagnostics;

namespace Slipway.Core.Stacks;

/// <summary>
/// <c>--include</c>/<c>--exclude</c> over one of the stack's lists (<c>containers:</c>, <c>npms:</c>): entries are
/// compared whole, and a filter naming nothing the stack lists is an error (laconic-so silently matched nothing).
/// </summary>
public static class StackListFilter
{
    /// <summary>The entries of <paramref name="listed"/> in the stack's order, included and not excluded.</summary>
    public static IReadOnlyList<string> Select(IReadOnlyList<string> listed, IReadOnlyList<string> include, IReadOnlyList<string> exclude, string key)
    {
        foreach (var (option, names) in new[] { ("--include", include), ("--exclude", exclude) })
        {
            var unknown = names.Where(n => !listed.Contains(n)).ToList();
            if (unknown.Count > 0)
            {
                throw new SlipwayException(FailureReason.NotFound, $"{option} names {string.Join(", ", unknown)}, which the stack does not list under {key}",
                    listed.Count == 0 ? $"the stack lists no {key}" : $"{key}: " + string.Join(", ", listed));
            }
        }

        return listed.Where(c => (include.Count == 0 || include.Contains(c)) && !exclude.Contains(c)).ToList();
    }
}
