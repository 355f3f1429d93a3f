using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Files;
using Slipway.Core.Stacks;

namespace Slipway.Core.Rendering.Compose;

/// <summary>
/// The stack's config folders the compose files refer to (<c>../config/X/...</c> binds and env_files), plus
/// <c>config/&lt;pod&gt;</c>, copied to <c>D/config/X</c>, where the same relative paths find them.
/// </summary>
internal static class ConfigFolders
{
    /// <param name="lookup">The deployment's config (spec config, env-files): a source's variables are resolved as compose resolves them.</param>
    public static IEnumerable<RenderedFile> Copy(StackBundle bundle, IHostFiles files, Func<string, string?> lookup, DiagnosticBag diagnostics)
    {
        var configRoot = bundle.Stack.ConfigRoot;
        var folders = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in bundle.All)
        {
            var composeDir = Path.GetDirectoryName(file.SourcePath)!;
            foreach (var (source, location) in file.Compose.Services.SelectMany(s => s.ConfigSources))
            {
                var expanded = ConfigSourcePath.Expand(source, lookup, out var unknown);
                if (expanded is null)
                {
                    // Which file it names is decided where compose runs; the folders before the variable are known now.
                    var known = Path.GetFullPath(Path.Combine(composeDir, ConfigSourcePath.FixedFolder(source)));
                    string? top = configRoot is not null && known != configRoot && HostPaths.IsInside(configRoot, known)
                        ? Path.GetRelativePath(configRoot, known).Replace('\\', '/').Split('/')[0]
                        : null;
                    if (top is not null) folders.Add(top);
                    diagnostics.Warning(DiagnosticCodes.NotFound,
                        $"'{source}' depends on {string.Join(", ", unknown.Select(v => "${" + v + "}"))}, which the deployment's config does not set, so deploy create cannot tell which file it names; "
                        + (top is null ? "nothing is copied for it" : $"the stack's config/{top} is copied whole"),
                        location, "set it in the spec's config (or an env-files file), or give it a default in the compose file (${VAR:-value})");
                    continue;
                }

                var shown = expanded == source ? $"'{source}'" : $"'{source}' ({expanded})";
                var resolved = Path.GetFullPath(Path.Combine(composeDir, expanded));
                if (configRoot is not null && HostPaths.IsInside(configRoot, resolved))
                {
                    var relative = Path.GetRelativePath(configRoot, resolved).Replace('\\', '/');
                    folders.Add(relative.Split('/')[0]);
                    if (!files.FileExists(resolved) && !files.DirectoryExists(resolved))
                    {
                        diagnostics.Warning(DiagnosticCodes.NotFound, $"{shown} does not exist in the stack ({resolved}); the container will get an empty mount", location);
                    }
                }
                else if (!expanded.StartsWith("../config/", StringComparison.Ordinal))
                {
                    diagnostics.Warning(DiagnosticCodes.NotFound, $"{shown} is outside the stack's config/ folder and is not copied into the deployment directory", location);
                }
            }

            if (configRoot is not null && bundle.Pods.Contains(file) && files.DirectoryExists(Path.Combine(configRoot, file.Name)))
            {
                folders.Add(file.Name);
            }
        }

        if (configRoot is null) yield break;
        foreach (var folder in folders)
        {
            var source = Path.Combine(configRoot, folder);
            if (Link(source, configRoot, files, diagnostics)) continue;
            if (files.FileExists(source))
            {
                yield return new RenderedFile($"config/{folder}", files.ReadBytes(source), Secret: files.IsPrivate(source), Executable: files.IsExecutable(source));
                continue;
            }

            if (!files.DirectoryExists(source)) continue;
            foreach (var path in files.FilesUnder(source).Order(StringComparer.Ordinal))
            {
                if (Link(path, configRoot, files, diagnostics)) continue;
                var relative = Path.GetRelativePath(configRoot, path).Replace('\\', '/');

                // A file only its owner may read (a key) stays so in D and in every revision.
                yield return new RenderedFile($"config/{relative}", files.ReadBytes(path), Secret: files.IsPrivate(path), Executable: files.IsExecutable(path));
            }
        }
    }

    /// <summary>
    /// True (with an error) when <paramref name="path"/> is a symbolic link. Links are never copied into D: one could
    /// point anywhere on the host (/etc/shadow, a whole tree), and a copied target would lose what the link meant.
    /// </summary>
    private static bool Link(string path, string configRoot, IHostFiles files, DiagnosticBag diagnostics)
    {
        if (files.LinkTarget(path) is not { } target) return false;
        var relative = "config/" + Path.GetRelativePath(configRoot, path).Replace('\\', '/');
        diagnostics.Error(DiagnosticCodes.PathEscapes, $"the stack's {relative} is a symbolic link (to {target}); Slipway does not follow or copy links in config/",
            new SourceLocation(path, 1, 1), "put the file itself into the stack's config/ folder");
        return true;
    }
}
