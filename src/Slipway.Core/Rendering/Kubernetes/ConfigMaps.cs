using System.Text.Json.Nodes;
using Slipway.Core.Compose;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Files;
using Slipway.Core.Kubernetes;
using Slipway.Core.Stacks;

namespace Slipway.Core.Rendering.Kubernetes;

/// <summary>ConfigMaps: the spec's <c>configmaps</c>, and static host-path binds (a file is one key mounted with subPath, a flat folder a key per file).</summary>
internal static class ConfigMaps
{
    /// <summary>
    /// Each spec configmap, made from its folder of D (<c>./configmaps/&lt;name&gt;</c>, laconic-so's convention, or
    /// <c>configmaps/&lt;name&gt;</c> for a path outside D). The stack's <c>config/&lt;name&gt;</c> (or the path) is copied there when
    /// it exists; otherwise the folder is created empty for the operator's files. start reads the folder again.
    /// </summary>
    public static void FromSpec(RenderContext context)
    {
        var spec = context.Spec;
        foreach (var cm in spec.Kubernetes.ConfigMaps)
        {
            var inD = cm.Source.StartsWith("./", StringComparison.Ordinal);
            var folder = inD ? cm.Source[2..].Trim('/') : $"configmaps/{cm.Name}";
            if (folder.Length == 0 || folder.Split('/').Any(p => p is ".." or "." or ""))
            {
                context.Diagnostics.Error(DiagnosticCodes.InvalidValue, $"configmap '{cm.Name}': '{cm.Source}' must name a folder inside the deployment directory", cm.Location,
                    $"use ./configmaps/{cm.Name}, or an absolute path, or a path starting with ../ or ~/");
                continue;
            }

            var dFolder = Path.Combine(context.Inputs.DeploymentDirectory, folder);
            string? source = inD
                ? context.Inputs.Bundle.Stack.ConfigRoot is { } configRoot ? Path.Combine(configRoot, cm.Name) : null
                : Path.GetFullPath(Path.Combine(spec.Directory, StackResolver.ExpandHome(cm.Source)));
            var entry = source is null ? HostPathEntry.Missing : context.Inputs.HostFiles.Stat(source);
            var files = new Dictionary<string, HostFile>(StringComparer.Ordinal);
            var existing = context.Inputs.HostFiles.Stat(dFolder);
            if (existing.Kind == HostPathKind.Directory)
            {
                // An update: the operator's files in D count as much as the stack's (which win, being copied over them).
                foreach (var file in existing.Files!) files[file.Name] = file;
            }

            if (entry.Kind == HostPathKind.Missing && inD)
            {
                if (files.Count == 0)
                {
                    context.Diagnostics.Warning(DiagnosticCodes.NotFound,
                        $"configmap '{cm.Name}': the stack has no config/{cm.Name} folder, so {folder}/ is created empty in the deployment directory; the ConfigMap is made from what that folder holds at each start",
                        cm.Location, $"put the files of '{cm.Name}' into {dFolder} before start");
                }

                context.Directories.Add(dFolder);
            }
            else
            {
                var what = $"configmap '{cm.Name}' ({source})";
                if (FolderConfigMaps.Read(entry, what, out var error) is null)
                {
                    context.Diagnostics.Error(entry.Kind == HostPathKind.Missing ? DiagnosticCodes.NotFound : DiagnosticCodes.InvalidValue, error!, cm.Location);
                    continue;
                }

                foreach (var file in entry.Files!)
                {
                    files[file.Name] = file;
                    context.Files.Add(new RenderedFile($"{folder}/{file.Name}", file.Read(), Executable: file.Executable));
                }
            }

            if (FolderConfigMaps.FromFiles([.. files.Values], $"configmap '{cm.Name}' ({dFolder})", out var invalid) is not { } content)
            {
                context.Diagnostics.Error(DiagnosticCodes.InvalidValue, invalid!, cm.Location);
                continue;
            }

            var name = KubeNames.Label($"{context.Id}-{cm.Name}");
            var obj = ConfigMap(context, name, content, null);
            obj["metadata"]!["annotations"] = new JsonObject { [SlipwayLabels.ConfigMapFolderAnnotation] = folder };
            context.ConfigMaps[name] = obj;
            context.FolderConfigMapDigests[name] = content.Digest;
        }
    }

    /// <summary>A ConfigMap per distinct static bind source of the file's services; writable binds and unusable sources are refused.</summary>
    public static void FromHostBinds(RenderContext context, StackComposeFile file)
    {
        foreach (var service in file.Compose.Services)
        {
            foreach (var mount in service.Mounts.Where(m => m.Kind == MountKind.Bind && m.Source is not null))
            {
                var what = $"pod '{file.Name}', service '{service.Name}', bind '{mount.Source}:{mount.Target}'";
                if (mount.Options.Split(',').Contains("rw"))
                {
                    context.Diagnostics.Error(DiagnosticCodes.InvalidValue, $"{what}: writable host-path binds are not supported on Kubernetes (the files become a read-only ConfigMap)", mount.Location,
                        "drop ':rw' for configuration, or use a named volume for data the container writes");
                    continue;
                }

                var source = context.Interpolate(mount.Source!);
                var resolved = RenderContext.ResolveBind(file, source);
                if (context.HostBinds.ContainsKey(resolved)) continue;
                if (Path.IsPathRooted(source) && !HostPaths.IsInside(context.Inputs.Bundle.Stack.Directory, resolved) && !HostPaths.IsInside(context.Inputs.DeploymentDirectory, resolved))
                {
                    // A system path of the host (/proc, /sys, /, /dev): the node's own, mounted read-only, never copied.
                    var nodeVolume = KubeNames.Label("host-" + (Sanitize(source.Trim('/')) is { Length: > 0 } s ? s : "root"));
                    context.HostBinds[resolved] = new HostBind(nodeVolume, "", null) { NodePath = resolved };
                    context.Diagnostics.Warning(DiagnosticCodes.NotApplicable,
                        $"{what}: {resolved} is mounted read-only from the node the pod runs on (hostPath): node-local by nature, it shows that node's {resolved}, not this machine's", mount.Location);
                    continue;
                }

                var entry = context.Inputs.HostFiles.Stat(resolved);
                ConfigMapContent? data;
                string? key = null;
                switch (entry.Kind)
                {
                    case HostPathKind.Missing when !Path.IsPathRooted(source):
                        // laconic-so defers this: the folder may be made after create. The ConfigMap is made from it at
                        // each start, like a spec configmap's folder, and start fails if it is still missing then.
                        context.Diagnostics.Warning(DiagnosticCodes.NotFound,
                            $"{what}: the source {resolved} does not exist yet; it must exist (a folder of files) when the deployment starts, which reads it into a ConfigMap", mount.Location);
                        var laterVolume = KubeNames.Label("host-path-" + Sanitize(source));
                        var laterName = KubeNames.Label($"{context.Id}-{laterVolume}");
                        var later = ConfigMap(context, laterName, ConfigMapContent.Empty, null);
                        later["metadata"]!["annotations"] = new JsonObject { [SlipwayLabels.SourceAnnotation] = source, [SlipwayLabels.ConfigMapFolderAnnotation] = resolved };
                        context.ConfigMaps[laterName] = later;
                        context.FolderConfigMapDigests[laterName] = ConfigMapContent.Empty.Digest;
                        context.HostBinds[resolved] = new HostBind(laterVolume, laterName, null);
                        continue;
                    case HostPathKind.Missing:
                        context.Diagnostics.Error(DiagnosticCodes.NotFound, $"{what}: the source {resolved} does not exist; Kubernetes needs its content now to make a ConfigMap", mount.Location);
                        continue;
                    case HostPathKind.File:
                        key = entry.File!.Name;
                        data = Data(context, [entry.File!], $"{what}: {resolved}", mount.Location);
                        break;
                    default:
                        if (entry.Subdirectories is { Count: > 0 } subdirectories)
                        {
                            context.Diagnostics.Error(DiagnosticCodes.InvalidValue, $"{what}: {resolved} contains subdirectories ({string.Join(", ", subdirectories)}); only a flat folder can become a ConfigMap", mount.Location,
                                "bind the subfolders one by one, or use a volume");
                            continue;
                        }

                        data = Data(context, entry.Files!, $"{what}: {resolved}", mount.Location);
                        break;
                }

                if (data is null) continue;
                var volumeName = KubeNames.Label("host-path-" + Sanitize(source));
                if (context.HostBinds.Values.Any(b => b.VolumeName == volumeName))
                {
                    volumeName = KubeNames.Label(volumeName, KubeNames.MaxLabel - 9) + "-" + KubeNames.ShortHash(resolved);
                }

                var configMapName = KubeNames.Label($"{context.Id}-{volumeName}");
                context.ConfigMaps[configMapName] = ConfigMap(context, configMapName, data, source);
                context.HostBinds[resolved] = new HostBind(volumeName, configMapName, key);
            }
        }
    }

    /// <summary>ConfigMap content from files; null (reported) over budget or with a bad key.</summary>
    private static ConfigMapContent? Data(RenderContext context, IReadOnlyList<HostFile> files, string what, SourceLocation at)
    {
        var content = FolderConfigMaps.FromFiles(files, what, out var error);
        if (content is null) context.Diagnostics.Error(DiagnosticCodes.InvalidValue, error!, at);
        return content;
    }

    private static JsonObject ConfigMap(RenderContext context, string name, ConfigMapContent content, string? hostSource)
    {
        var obj = context.Object("v1", "ConfigMap", name, context.Labels());
        if (hostSource is not null) obj["metadata"]!["annotations"] = new JsonObject { [SlipwayLabels.SourceAnnotation] = hostSource };
        var data = new JsonObject(content.Data.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)d.Value)));
        if (content.Data.Count > 0 || content.BinaryData.Count == 0) obj["data"] = data;
        if (content.BinaryData.Count > 0) obj["binaryData"] = new JsonObject(content.BinaryData.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)d.Value)));
        if (content.AnyExecutable) context.ExecutableConfigMaps.Add(name);
        return obj;
    }

    /// <summary>laconic-so's rule: drop one leading run of dots and a slash, then '/' and '.' become '-'.</summary>
    private static string Sanitize(string source)
    {
        var i = 0;
        while (i < source.Length && source[i] == '.') i++;
        if (i < source.Length && source[i] == '/' && i > 0) source = source[(i + 1)..];
        return source.Replace('/', '-').Replace('.', '-');
    }
}
