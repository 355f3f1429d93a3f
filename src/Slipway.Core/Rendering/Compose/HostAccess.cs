using Slipway.Core.Compose;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;
using Slipway.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Rendering.Compose;

/// <summary>
/// What of the host a stack's compose files reach outside D: absolute binds, relative binds that climb out of D, and
/// includes of files outside it. Legal compose, so warnings that name each one; the spec's own volumes on a system
/// folder mounted read-write are refused unless marked (<see cref="VolumeSpec.AllowSystemWrite"/>).
/// </summary>
internal static class HostAccess
{
    /// <summary>Host folders a container must not change unless the spec says it means to: the root, and the system trees.</summary>
    private static readonly string[] SystemExact = ["/", "/var", "/run", "/var/run", "/root", "/home"];

    private static readonly string[] SystemTrees = ["/etc", "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/boot", "/dev", "/proc", "/sys", "/var/lib/docker", "/var/run/docker.sock", "/run/docker.sock"];

    public static bool IsSystemPath(string path)
    {
        var full = Path.GetFullPath(path);
        full = full.Length > 1 ? full.TrimEnd('/') : full;
        return SystemExact.Contains(full, StringComparer.Ordinal)
            || SystemTrees.Any(t => full == t || full.StartsWith(t + "/", StringComparison.Ordinal));
    }

    /// <summary>Warnings for each bind and include of the stack's compose files that leaves D (as rendered into D/compose or D/compose-jobs).</summary>
    public static void Warn(StackBundle bundle, string deploymentDirectory, DiagnosticBag diagnostics)
    {
        foreach (var (file, folder) in bundle.Pods.Select(p => (p, "compose")).Concat(bundle.Jobs.Select(j => (j, "compose-jobs"))))
        {
            var renderedIn = Path.Combine(deploymentDirectory, folder);
            foreach (var service in file.Compose.Services)
            {
                foreach (var mount in service.Mounts.Where(m => m.Kind == MountKind.Bind && m.Source is { Length: > 0 }))
                {
                    var source = mount.Source!;
                    if (source.StartsWith('$')) continue;
                    var expanded = StackResolver.ExpandHome(source);
                    var mode = mount.ReadOnly ? "read-only" : "read-write";
                    if (Path.IsPathRooted(expanded))
                    {
                        var what = IsSystemPath(expanded) ? "a system folder of the host" : "an absolute host path outside the deployment directory";
                        diagnostics.Warning(DiagnosticCodes.PathEscapes, $"service '{service.Name}' binds {source} ({what}) at {mount.Target}, {mode}", mount.Location,
                            mount.ReadOnly ? null : $"legal compose, so not refused; add ':ro' unless the service must change {source}");
                        continue;
                    }

                    var resolved = Path.GetFullPath(Path.Combine(renderedIn, expanded));
                    if (!HostPaths.IsInside(deploymentDirectory, resolved))
                    {
                        diagnostics.Warning(DiagnosticCodes.PathEscapes, $"service '{service.Name}' binds {source}, which leaves the deployment directory (it resolves to {resolved}), at {mount.Target}, {mode}", mount.Location,
                            "legal compose, so not refused; a relative bind normally names a folder the stack ships (copied into D)");
                    }
                }
            }

            foreach (var (path, location) in Includes(file))
            {
                var expanded = StackResolver.ExpandHome(path);
                if (expanded.StartsWith('$')) continue;
                if (Path.IsPathRooted(expanded))
                {
                    diagnostics.Warning(DiagnosticCodes.PathEscapes, $"include of {path}: an absolute path outside the deployment directory; compose reads it at every apply, whatever it holds then", location);
                }
                else if (Path.GetFullPath(Path.Combine(renderedIn, expanded)) is var resolved && !HostPaths.IsInside(deploymentDirectory, resolved))
                {
                    diagnostics.Warning(DiagnosticCodes.PathEscapes, $"include of {path} leaves the deployment directory (it resolves to {resolved}); compose reads it at every apply, whatever it holds then", location);
                }
            }
        }
    }

    /// <summary>
    /// Refuses a spec volume on a system folder that a service mounts read-write, unless the spec marks it with
    /// <c>allow-system-write: true</c>.
    /// </summary>
    public static void CheckSystemVolume(VolumeSpec volume, string hostPath, StackBundle bundle, DiagnosticBag diagnostics)
    {
        // A relative path is D's own data, wherever D is (even under a system folder): only absolute paths reach the host's.
        if (volume.AllowSystemWrite || volume.Path is not { } path || !Path.IsPathRooted(StackResolver.ExpandHome(path)) || !IsSystemPath(hostPath)) return;
        var writers = bundle.All.SelectMany(f => f.Compose.Services)
            .Where(s => s.Mounts.Any(m => m.Kind == MountKind.Volume && m.Source == volume.Name && !m.ReadOnly))
            .Select(s => s.Name).Distinct().ToList();
        if (writers.Count == 0) return;
        diagnostics.Error(DiagnosticCodes.PathEscapes,
            $"volume '{volume.Name}' is the host's system folder {hostPath}, mounted read-write by {string.Join(", ", writers.Select(w => $"'{w}'"))}: a container could change the host's system",
            volume.Location,
            $"mount it read-only (':ro') in the compose file, or, if the service must change it, mark the volume in the spec: volumes: {{{volume.Name}: {{path: {volume.Path}, allow-system-write: true}}}}");
    }

    private static IEnumerable<(string Path, SourceLocation Location)> Includes(StackComposeFile file)
    {
        if (!file.Compose.Root.Children.TryGetValue(new YamlScalarNode("include"), out var node) || node is not YamlSequenceNode items) yield break;
        foreach (var item in items)
        {
            var location = item.At(file.Compose.Path);
            if (item is YamlScalarNode { Value: { Length: > 0 } text })
            {
                yield return (text, location);
            }
            else if (item is YamlMappingNode entry && entry.Children.TryGetValue(new YamlScalarNode("path"), out var path))
            {
                if (path is YamlScalarNode { Value: { Length: > 0 } one })
                {
                    yield return (one, path.At(file.Compose.Path));
                }
                else if (path is YamlSequenceNode many)
                {
                    foreach (var p in many.OfType<YamlScalarNode>().Where(p => p.Value is { Length: > 0 })) yield return (p.Value!, p.At(file.Compose.Path));
                }
            }
        }
    }
}
