using System.Security.Cryptography;
using System.Text;
using Slipway.Core.Compose;
using Slipway.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Deployments;

/// <summary>
/// What one rendered service takes from the deployment's configuration: the config keys it consumes, the config
/// files under D it binds or reads as env_file, and a hash over those files' contents. Compose recreates a service
/// when its resolved configuration changes, and that already covers the values of the keys it consumes (interpolated,
/// or filled into its environment from config.env); a bound file's content is invisible to it, so the hash goes into
/// the service's <see cref="SlipwayLabels.ComposeConfigHashLabel"/> label and a content change recreates exactly its users.
/// </summary>
/// <param name="File">The rendered compose file, relative to D.</param>
/// <param name="Keys">Config keys (spec config and env-files) the service consumes, sorted.</param>
/// <param name="Files">Files relative to D the service binds or reads as env_file, sorted.</param>
/// <param name="Hash">Hex digest over the files' paths, modes and contents.</param>
public sealed record ServiceConfigUse(string File, string Service, IReadOnlyList<string> Keys, IReadOnlyList<string> Files, string Hash);

public static class ServiceConfig
{
    /// <summary>
    /// Keys of <paramref name="config"/> the service consumes: referenced by interpolation anywhere in its definition
    /// (<c>${KEY}</c>, defaults included), or named without a value in its environment (<c>- KEY</c>, <c>KEY:</c>),
    /// which compose fills from the deployment's config.env.
    /// </summary>
    public static IReadOnlyList<string> ConsumedKeys(YamlMappingNode service, IReadOnlyDictionary<string, string> config)
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var scalar in Scalars(service))
        {
            if (scalar.Value is { } text && text.Contains('$'))
            {
                keys.UnionWith(Interpolation.ReferencedVariables(text).Where(config.ContainsKey));
            }
        }

        keys.UnionWith(NamedWithoutValue(service).Where(config.ContainsKey));
        return [.. keys];
    }

    /// <summary>
    /// Files of <paramref name="files"/> the service binds (<c>../config/X/file</c> or a folder of them) or reads as
    /// env_file, resolved from <paramref name="composeFolder"/> (the rendered file's folder relative to D).
    /// Binds of named volumes or outside D are data, not config, and are not followed.
    /// </summary>
    public static IReadOnlyList<RenderedFile> BoundFiles(YamlMappingNode service, string composeFolder, IReadOnlyList<RenderedFile> files)
    {
        var sources = BindSources(service).Concat(EnvFileSources(service))
            .Select(s => ResolveInsideD(composeFolder, s))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        return files
            .Where(f => sources.Any(s => f.RelativePath == s || f.RelativePath.StartsWith(s + "/", StringComparison.Ordinal)))
            .OrderBy(f => f.RelativePath, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>What <paramref name="service"/> consumes, and the hash over the files it binds.</summary>
    /// <remarks>
    /// Values are left out of the hash on purpose: compose already recreates on a value change, and a hash of a
    /// (possibly low-entropy) secret in a world-readable compose file would let anyone test guesses offline.
    /// </remarks>
    public static ServiceConfigUse Use(string file, string serviceName, YamlMappingNode service, IReadOnlyDictionary<string, string> config, IReadOnlyList<RenderedFile> files)
    {
        var keys = ConsumedKeys(service, config);
        var bound = BoundFiles(service, Path.GetDirectoryName(file)?.Replace('\\', '/') ?? "", files);
        var text = new StringBuilder();
        foreach (var bind in bound)
        {
            text.Append("file ").Append(bind.RelativePath).Append(bind.Executable ? " x " : " - ").Append(Digest(bind.Content)).Append('\n');
        }

        // 64 bits are plenty to notice a change.
        var hash = Digest(Encoding.UTF8.GetBytes(text.ToString()))[..16];
        return new ServiceConfigUse(file, serviceName, keys, bound.Select(b => b.RelativePath).ToList(), hash);
    }

    /// <summary>Sets the <see cref="SlipwayLabels.ComposeConfigHashLabel"/> label on the service (labels as a mapping or as a KEY=value list).</summary>
    public static void SetHashLabel(YamlMappingNode service, string hash)
    {
        var key = new YamlScalarNode("labels");
        var value = new YamlScalarNode(hash) { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted };
        switch (service.Children.TryGetValue(key, out var existing) ? existing : null)
        {
            case YamlMappingNode map:
                map.Children[new YamlScalarNode(SlipwayLabels.ComposeConfigHashLabel)] = value;
                break;
            case YamlSequenceNode list:
                foreach (var old in list.Children.Where(c => c is YamlScalarNode { Value: { } v } && (v == SlipwayLabels.ComposeConfigHashLabel || v.StartsWith(SlipwayLabels.ComposeConfigHashLabel + "=", StringComparison.Ordinal))).ToList())
                {
                    list.Children.Remove(old);
                }

                list.Add(new YamlScalarNode($"{SlipwayLabels.ComposeConfigHashLabel}={hash}") { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted });
                break;
            default:
                service.Children[key] = new YamlMappingNode { { new YamlScalarNode(SlipwayLabels.ComposeConfigHashLabel), value } };
                break;
        }
    }

    private static string Digest(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static IEnumerable<string> NamedWithoutValue(YamlMappingNode service)
    {
        switch (service.Children.TryGetValue(new YamlScalarNode("environment"), out var node) ? node : null)
        {
            case YamlMappingNode map:
                foreach (var (k, v) in map.Children)
                {
                    if (k is YamlScalarNode { Value: { } name } && v is YamlScalarNode s && YamlMap.IsNull(s)) yield return name;
                }

                break;
            case YamlSequenceNode list:
                foreach (var item in list.Children)
                {
                    if (item is YamlScalarNode { Value: { Length: > 0 } entry } && !entry.Contains('=')) yield return entry;
                }

                break;
        }
    }

    private static IEnumerable<string> BindSources(YamlMappingNode service)
    {
        if (!service.Children.TryGetValue(new YamlScalarNode("volumes"), out var node) || node is not YamlSequenceNode volumes) yield break;
        foreach (var item in volumes.Children)
        {
            switch (item)
            {
                case YamlScalarNode { Value: { } text } when text.Split(':') is { Length: >= 2 } parts && parts[0].StartsWith('.'):
                    yield return parts[0];
                    break;
                case YamlMappingNode map when Scalar(map, "type") == "bind" && Scalar(map, "source") is { } source && source.StartsWith('.'):
                    yield return source;
                    break;
            }
        }
    }

    private static IEnumerable<string> EnvFileSources(YamlMappingNode service)
    {
        switch (service.Children.TryGetValue(new YamlScalarNode("env_file"), out var node) ? node : null)
        {
            case YamlScalarNode { Value: { } single } s when !YamlMap.IsNull(s):
                yield return single;
                break;
            case YamlSequenceNode list:
                foreach (var item in list.Children)
                {
                    if (item is YamlScalarNode { Value: { } path }) yield return path;
                    else if (item is YamlMappingNode map && Scalar(map, "path") is { } path2) yield return path2;
                }

                break;
        }
    }

    /// <summary>A relative source seen from <paramref name="composeFolder"/>, as a path relative to D; null when it leaves D.</summary>
    private static string? ResolveInsideD(string composeFolder, string source)
    {
        var parts = new List<string>(composeFolder.Split('/', StringSplitOptions.RemoveEmptyEntries));
        foreach (var part in source.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            switch (part)
            {
                case ".":
                    continue;
                case "..":
                    if (parts.Count == 0) return null;
                    parts.RemoveAt(parts.Count - 1);
                    break;
                default:
                    parts.Add(part);
                    break;
            }
        }

        return parts.Count == 0 ? null : string.Join('/', parts);
    }

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode { Value: { } s } ? s : null;

    private static IEnumerable<YamlScalarNode> Scalars(YamlNode node) => node switch
    {
        YamlScalarNode s => [s],
        YamlSequenceNode seq => seq.Children.SelectMany(Scalars),
        YamlMappingNode map => map.Children.SelectMany(kv => Scalars(kv.Value)),
        _ => [],
    };
}
