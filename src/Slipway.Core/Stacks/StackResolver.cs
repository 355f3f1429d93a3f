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

        var shipped = ShippedStackNames(shippedStackRoots, files);
        var hint = Yaml.DidYouMean.Suggest(value, shipped) is { } near
            ? $"did you mean '{near}'? (shipped stacks: {string.Join(", ", shipped)})"
            : (shipped.Count > 0 ? $"give the path of a directory holding stack.yml, or a shipped stack: {string.Join(", ", shipped)}" : "give the path of a directory holding stack.yml")
              + "; laconic-so's own stacks resolve by name once its repository is in the dev root: slipway fetch-stack cerc-io/stack-orchestrator";
        throw new SlipwayException(FailureReason.NotFound, $"stack '{value}' does not exist: it is neither a stack shipped with Slipway nor a directory", hint);
    }

    /// <summary>The names under the shipped roots that hold a stack.yml, sorted.</summary>
    public static IReadOnlyList<string> ShippedStackNames(IEnumerable<string> shippedStackRoots, IHostFiles files) =>
        shippedStackRoots
            .Where(files.DirectoryExists)
            .SelectMany(root => files.FilesUnder(root)
                .Where(f => Path.GetFileName(f) == "stack.yml" && Path.GetDirectoryName(Path.GetDirectoryName(f)) == Path.TrimEndingDirectorySeparator(Path.GetFullPath(root))))
            .Select(f => Path.GetFileName(Path.GetDirectoryName(f))!)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    public static bool IsPath(string value) =>
        value.Contains('/') || value.StartsWith('.') || value.StartsWith('~');

    public static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~').TrimStart('/'))
            : path;
}
