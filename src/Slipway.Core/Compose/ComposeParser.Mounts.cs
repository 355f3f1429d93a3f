using Slipway.Core.Diagnostics;
using Slipway.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Compose;

public static partial class ComposeParser
{
    private static List<ServiceMount> ParseMounts(YamlMap map, IReadOnlyList<string> declaredVolumes)
    {
        var mounts = new List<ServiceMount>();
        if (map.Sequence("volumes") is not { } items) return mounts;
        foreach (var item in items)
        {
            var location = item.At(map.File);
            ServiceMount? mount = item switch
            {
                YamlScalarNode { Value: { } text } => ParseShortMount(text, location),
                YamlMappingNode longForm => ParseLongMount(new YamlMap(longForm, map.File, map.Diagnostics, $"a volume of {map.Context}"), location),
                _ => null,
            };
            if (mount is null)
            {
                map.Diagnostics.Error(DiagnosticCodes.WrongType, $"each volume of {map.Context} must read SOURCE:TARGET[:MODE] or be a mapping with type, source and target", location);
                continue;
            }

            if (mount.Kind == MountKind.Volume && !declaredVolumes.Contains(mount.Source!))
            {
                map.Diagnostics.Error(DiagnosticCodes.UnknownReference, $"{map.Context} uses volume '{mount.Source}', which the top-level 'volumes' does not declare", location, DidYouMean.Hint(mount.Source!, declaredVolumes));
            }

            mounts.Add(mount);
        }

        return mounts;
    }

    /// <summary>Short syntax: <c>[SOURCE:]TARGET[:MODE]</c>.</summary>
    internal static ServiceMount? ParseShortMount(string text, SourceLocation location)
    {
        var parts = SplitShortSyntax(text);
        if (parts.Length == 1)
        {
            return new ServiceMount(MountKind.Other, null, parts[0], false, "", location);
        }

        if (parts.Length > 3 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            return null;
        }

        var options = parts.Length == 3 ? parts[2] : "";
        var readOnly = options.Split(',').Contains("ro");
        return new ServiceMount(IsHostPath(parts[0]) ? MountKind.Bind : MountKind.Volume, parts[0], parts[1], readOnly, options, location);
    }

    private static ServiceMount? ParseLongMount(YamlMap map, SourceLocation location)
    {
        map.RejectUnknownKeys(ComposeKeys.ServiceVolumeLong.ToArray(), ComposeKeys.IsExtension);
        var type = map.String("type");
        var target = map.String("target");
        if (type is null || target is null)
        {
            return null;
        }

        var readOnly = map.Bool("read_only") ?? false;
        var kind = type switch
        {
            "volume" when map.String("source") is not null => MountKind.Volume,
            "bind" => MountKind.Bind,
            _ => MountKind.Other,
        };
        return new ServiceMount(kind, map.String("source"), target, readOnly, readOnly ? "ro" : "", location);
    }

    /// <summary>
    /// Splits <c>SOURCE:TARGET:MODE</c> at the colons outside <c>${...}</c>: compose interpolates before it splits, so
    /// <c>../config/${NETWORK:-mainnet}/genesis.json:/genesis.json:ro</c> is three parts, not four.
    /// </summary>
    internal static string[] SplitShortSyntax(string text)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                depth++;
                i++;
            }
            else if (text[i] == '}' && depth > 0)
            {
                depth--;
            }
            else if (text[i] == ':' && depth == 0)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        parts.Add(text[start..]);
        return [.. parts];
    }

    public static bool IsHostPath(string source) =>
        source.StartsWith('.') || source.StartsWith('/') || source.StartsWith('~') || source.StartsWith('$');
}
