using Slipway.Core.Stacks;

namespace Slipway.Core.Deployments;

/// <summary>Where a spec volume's host path is, and whether a path lies inside a folder (plain path arithmetic, no disk).</summary>
internal static class HostPaths
{
    /// <summary>Absolute host path of a spec volume path, or null when a relative path escapes D.</summary>
    public static string? ResolveVolumePath(string path, string deploymentDirectory)
    {
        path = StackResolver.ExpandHome(path);
        if (Path.IsPathRooted(path)) return Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

        // Trailing separators are dropped so that "./" is recognised as D itself, not a folder inside it.
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(deploymentDirectory, path)));
        return IsInside(deploymentDirectory, full) && full != Path.TrimEndingDirectorySeparator(Path.GetFullPath(deploymentDirectory)) ? full : null;
    }

    public static bool IsInside(string directory, string path)
    {
        var root = Path.GetFullPath(directory).TrimEnd('/') + "/";
        return (Path.GetFullPath(path).TrimEnd('/') + "/").StartsWith(root, StringComparison.Ordinal);
    }
}
