using System.Text;
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
    /// <summary>Each spec configmap from its source folder; its files are also copied into <c>D/configmaps/&lt;name&gt;</c>.</summary>
    public static void FromSpec(RenderContext context)
    {
        var spec = context.Spec;
        foreach (var cm in spec.Kubernetes.ConfigMaps)
        {
            string source;
            if (cm.Source.StartsWith("./", StringComparison.Ordinal))
            {
                // laconic-so: "./..." names the stack's config/<name> (deploy init writes ./configmaps/<name>).
                if (context.Inputs.Bundle.Stack.ConfigRoot is not { } configRoot)
                {
                    context.Diagnostics.Error(DiagnosticCodes.NotFound, $"configmap '{cm.Name}': '{cm.Source}' means the stack's config/{cm.Name} folder, and the stack has no config/ folder", cm.Location,
                        "give an absolute path, or a path starting with ../ or ~/");
                    continue;
                }

                source = Path.Combine(configRoot, cm.Name);
            }
            else
            {
                source = Path.GetFullPath(Path.Combine(spec.Directory, StackResolver.ExpandHome(cm.Source)));
            }

            var entry = context.Inputs.HostFiles.Stat(source);
            var what = $"configmap '{cm.Name}' ({source})";
            if (entry.Kind != HostPathKind.Directory)
            {
                context.Diagnostics.Error(DiagnosticCodes.NotFound, entry.Kind == HostPathKind.Missing ? $"{what} does not exist" : $"{what} is a file; a configmap source is a folder of files", cm.Location);
                continue;
            }

            if (entry.Subdirectories is { Count: > 0 } subdirectories)
            {
                context.Diagnostics.Error(DiagnosticCodes.InvalidValue, $"{what} contains subdirectories ({string.Join(", ", subdirectories)}); a ConfigMap holds the top-level files of one folder", cm.Location);
                continue;
            }

            if (Data(context, entry.Files!, what, cm.Location) is not { } data) continue;
            foreach (var file in entry.Files!)
            {
                context.Files.Add(new RenderedFile($"configmaps/{cm.Name}/{file.Name}", file.Read(), Executable: file.Executable));
            }

            var name = KubeNames.Label($"{context.Id}-{cm.Name}");
            context.ConfigMaps[name] = ConfigMap(context, name, data, null);
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
                var entry = context.Inputs.HostFiles.Stat(resolved);
                (JsonObject, JsonObject, bool)? data;
                string? key = null;
                switch (entry.Kind)
                {
                    case HostPathKind.Missing:
                        context.Diagnostics.Error(DiagnosticCodes.NotFound, $"{what}: the source {resolved} does not exist; Kubernetes needs its content now to make a ConfigMap", mount.Location);
                        continue;
                    case HostPathKind.File:
                        key = entry.File!.Name;
                        data = Data(context, [entry.File], $"{what}: {resolved}", mount.Location);
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
                context.ConfigMaps[configMapName] = ConfigMap(context, configMapName, data.Value, source);
                context.HostBinds[resolved] = new HostBind(volumeName, configMapName, key);
            }
        }
    }

    /// <summary>ConfigMap data from files: UTF-8 text under data, anything else base64 under binaryData; null (reported) over budget or with a bad key.</summary>
    private static (JsonObject Data, JsonObject Binary, bool AnyExecutable)? Data(RenderContext context, IReadOnlyList<HostFile> files, string what, SourceLocation at)
    {
        var total = files.Sum(f => f.Size);
        if (total > KubernetesRenderer.ConfigMapBudget)
        {
            context.Diagnostics.Error(DiagnosticCodes.InvalidValue, $"{what} holds {total} bytes, exceeding the ConfigMap budget of {KubernetesRenderer.ConfigMapBudget} bytes (700 KiB)", at,
                "use a volume for large content");
            return null;
        }

        var data = new JsonObject();
        var binary = new JsonObject();
        foreach (var file in files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            if (!KubeNames.IsConfigKey(file.Name))
            {
                context.Diagnostics.Error(DiagnosticCodes.InvalidName, $"{what}: file name '{file.Name}' cannot be a ConfigMap key (letters, digits, '-', '_', '.')", at);
                return null;
            }

            var bytes = file.Read();
            if (IsText(bytes)) data[file.Name] = Encoding.UTF8.GetString(bytes);
            else binary[file.Name] = Convert.ToBase64String(bytes);
        }

        return (data, binary, files.Any(f => f.Executable));
    }

    private static bool IsText(byte[] bytes)
    {
        try
        {
            var text = new UTF8Encoding(false, true).GetString(bytes);
            return !text.Any(c => char.IsControl(c) && c is not '\n' and not '\t' and not '\r');
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static JsonObject ConfigMap(RenderContext context, string name, (JsonObject Data, JsonObject Binary, bool AnyExecutable) content, string? hostSource)
    {
        var obj = context.Object("v1", "ConfigMap", name, context.Labels());
        if (hostSource is not null) obj["metadata"]!["annotations"] = new JsonObject { [SlipwayLabels.SourceAnnotation] = hostSource };
        if (content.Data.Count > 0 || content.Binary.Count == 0) obj["data"] = content.Data;
        if (content.Binary.Count > 0) obj["binaryData"] = content.Binary;
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
