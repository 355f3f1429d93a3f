using System.Security.Cryptography;
using System.Text;
using Slipway.Core.Compose;
using Slipway.Core.Deployments;
using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Rendering.Compose;

/// <summary>
/// The compose config-hash label (<see cref="SlipwayLabels.ComposeConfigHashLabel"/>). Compose recreates a service when
/// its resolved configuration changes, and that already covers the values of the config keys it consumes; a bound
/// file's content is invisible to it, so a hash over the config files the service binds or reads as env_file goes into
/// the label, and a content change recreates exactly the services that use the file.
/// </summary>
internal static class ServiceConfig
{
    /// <summary>
    /// Files of <paramref name="files"/> the service binds (<c>../config/X/file</c> or a folder of them) or reads as
    /// env_file, resolved from <paramref name="composeFolder"/> (the rendered file's folder relative to D).
    /// Binds of named volumes or outside D are data, not config, and are not followed. A source with variables is
    /// followed as <paramref name="lookup"/> (the deployment's config) resolves it; one it cannot resolve is not.
    /// </summary>
    public static IReadOnlyList<RenderedFile> BoundFiles(ComposeService service, string composeFolder, IReadOnlyList<RenderedFile> files, Func<string, string?>? lookup = null)
    {
        var sources = service.ConfigSources
            .Select(s => lookup is null ? s.Source : ConfigSourcePath.Expand(s.Source, lookup, out _))
            .OfType<string>()
            .Select(s => ResolveInsideD(composeFolder, s))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        return files
            .Where(f => sources.Any(s => f.RelativePath == s || f.RelativePath.StartsWith(s + "/", StringComparison.Ordinal)))
            .OrderBy(f => f.RelativePath, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The label's value: a hex digest over the paths, modes and contents of the files the service binds.</summary>
    /// <remarks>
    /// Values are left out on purpose: compose already recreates on a value change, and a hash of a (possibly
    /// low-entropy) secret in a world-readable compose file would let anyone test guesses offline.
    /// </remarks>
    public static string Hash(ComposeService service, string composeFolder, IReadOnlyList<RenderedFile> files, Func<string, string?>? lookup = null)
    {
        var text = new StringBuilder();
        foreach (var bind in BoundFiles(service, composeFolder, files, lookup))
        {
            text.Append("file ").Append(bind.RelativePath).Append(bind.Executable ? " x " : " - ").Append(Digest(bind.Content)).Append('\n');
        }

        // 64 bits are plenty to notice a change.
        return Digest(Encoding.UTF8.GetBytes(text.ToString()))[..16];
    }

    /// <summary>Sets the label on the service's node (labels as a mapping or as a KEY=value list).</summary>
    public static void SetHashLabel(YamlMappingNode service, string hash)
    {
        const string Label = SlipwayLabels.ComposeConfigHashLabel;
        var key = new YamlScalarNode("labels");
        var value = new YamlScalarNode(hash) { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted };
        switch (service.Children.TryGetValue(key, out var existing) ? existing : null)
        {
            case YamlMappingNode map:
                map.Children[new YamlScalarNode(Label)] = value;
                break;
            case YamlSequenceNode list:
                foreach (var old in list.Children.Where(c => c is YamlScalarNode { Value: { } v } && (v == Label || v.StartsWith(Label + "=", StringComparison.Ordinal))).ToList())
                {
                    list.Children.Remove(old);
                }

                list.Add(new YamlScalarNode($"{Label}={hash}") { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted });
                break;
            default:
                service.Children[key] = new YamlMappingNode { { new YamlScalarNode(Label), value } };
                break;
        }
    }

    private static string Digest(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

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
}
