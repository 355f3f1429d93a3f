using Slipway.Core.Stacks;

namespace Slipway.Core.Deployments;

/// <summary>Where a spec volume's host path is, and whether a path lies inside a folder (plain path arithmetic, no disk).</summary>
public static class HostPaths
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

    /// <summary>
    /// What in D a volume path would expose when it reaches into D's own files (rendered compose and config, overrides,
    /// state, identity): a container could then rewrite what the next run applies. Null for D/data/... and for paths
    /// outside D.
    /// </summary>
    public static string? IntoDeploymentFiles(string hostPath, string deploymentDirectory)
    {
        if (!IsInside(deploymentDirectory, hostPath)) return null;
        var relative = Path.GetRelativePath(Path.GetFullPath(deploymentDirectory), Path.GetFullPath(hostPath)).Replace('\\', '/');
        var first = relative.Split('/')[0];
        return first is DeploymentLayout.DataFolder ? null : first;
    }

    public static bool IsInside(string directory, string path)
    {
        var root = Path.GetFullPath(directory).TrimEnd('/') + "/";
        return (Path.GetFullPath(path).TrimEnd('/') + "/").StartsWith(root, StringComparison.Ordinal);
    }
}
