using Slipway.Core.Diagnostics;
using Slipway.Core.Files;

namespace Slipway.Core.Stacks;

/// <summary>
/// Turns a <c>--stack</c> or spec <c>stack:</c> value into a directory. A value with a path separator, or starting with
/// '.' or '~', is a path (relative to the base directory given); a bare name is a stack shipped with Slipway,
/// falling back to a directory of that name. (laconic-so prefers a CWD directory over a shipped stack of the same name.)
/// </summary>
public static class StackResolver
{
    public static string Resolve(string value, string baseDirectory, IEnumerable<string> shippedStackRoots, IHostFiles files)
    {
        if (IsPath(value))
        {
            return Path.GetFullPath(Path.Combine(baseDirectory, ExpandHome(value)));
        }

        foreach (var root in shippedStackRoots)
        {
            var candidate = Path.Combine(root, value);
            if (files.FileExists(Path.Combine(candidate, "stack.yml")))
            {
                return candidate;
            }
        }

        var local = Path.GetFullPath(Path.Combine(baseDirectory, value));
        if (files.DirectoryExists(local))
        {
            return local;
        }

        throw new SlipwayException(FailureReason.NotFound, $"stack '{value}' does not exist: it is neither a stack shipped with Slipway nor a directory",
            "give the path of a directory holding stack.yml");
    }

    public static bool IsPath(string value) =>
        value.Contains('/') || value.StartsWith('.') || value.StartsWith('~');

    public static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~').TrimStart('/'))
            : path;
}
