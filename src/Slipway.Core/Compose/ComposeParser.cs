using Slipway.Core.Diagnostics;
using Slipway.Core.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Compose;

/// <summary>
/// Strict reading of a compose file: known keys (with did-you-mean), the shapes Slipway relies on
/// (ports, volumes, environment, env_file) and interpolation syntax, all errors at once.
/// Values are interpolated with the given lookup only to check them; the file itself is kept verbatim.
/// </summary>
public static partial class ComposeParser
{
    public static ComposeFile Parse(string text, string file, DiagnosticBag diagnostics, Func<string, string?> lookup)
    {
        var root = YamlDocuments.Load(text, file, diagnostics);
        if (root is not YamlMappingNode mapping)
        {
            if (root is not null || !diagnostics.HasErrors)
            {
                diagnostics.Error(DiagnosticCodes.WrongType, "a compose file must be a mapping with 'services'", root?.At(file) ?? new SourceLocation(file, 1, 1));
            }

            return new ComposeFile(file, new YamlMappingNode());
        }

        CheckInterpolation(mapping, file, diagnostics, lookup);
        var map = new YamlMap(mapping, file, diagnostics, "compose file");
        map.RejectUnknownKeys(ComposeKeys.TopLevel.ToArray(), ComposeKeys.IsExtension);

        var volumes = new List<string>();
        var volumeLocations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        var volumeDevices = new Dictionary<string, string>(StringComparer.Ordinal);
        if (map.Map("volumes", "top-level 'volumes'") is { } volumeMap)
        {
            foreach (var name in volumeMap.Keys)
            {
                volumes.Add(name);
                volumeLocations[name] = volumeMap.KeyLocation(name)!;
                // A bind-backed named volume (driver_opts.device): its data lives in that host folder, not in Docker.
                if (volumeMap.Get(name) is YamlMappingNode definition && Child(definition, "driver_opts") is YamlMappingNode options
                    && ScalarOf(options, "device") is { } path)
                {
                    volumeDevices[name] = path;
                }
            }
        }

        var services = new List<ComposeService>();
        if (map.Map("services", "'services'") is { } serviceMap)
        {
            foreach (var name in serviceMap.Keys)
            {
                var node = serviceMap.Get(name)!;
                if (node is not YamlMappingNode serviceNode)
                {
                    diagnostics.Error(DiagnosticCodes.WrongType, $"service '{name}' must be a mapping", node.At(file));
                    continue;
                }

                if (!Names.IsValidComponentName(name))
                {
                    diagnostics.Error(DiagnosticCodes.InvalidName, $"service name '{name}' is not valid: use letters, digits, '-', '_' and '.'", serviceMap.KeyLocation(name));
                }

                services.Add(ParseService(name, serviceNode, serviceMap.KeyLocation(name)!, file, diagnostics, volumes, lookup));
            }
        }
        else if (!diagnostics.HasErrors)
        {
            diagnostics.Error(DiagnosticCodes.MissingKey, "compose file has no 'services'", map.Location);
        }

        return new ComposeFile(file, mapping) { Services = services, Volumes = volumes, VolumeLocations = volumeLocations, VolumeDevices = volumeDevices };
    }

    private static ComposeService ParseService(
        string name, YamlMappingNode node, SourceLocation location, string file, DiagnosticBag diagnostics,
        IReadOnlyList<string> declaredVolumes, Func<string, string?> lookup)
    {
        var map = new YamlMap(node, file, diagnostics, $"service '{name}'");
        map.RejectUnknownKeys(ComposeKeys.Service.ToArray(), ComposeKeys.IsExtension);

        var environment = ParseEnvironment(map);
        var mounts = ParseMounts(map, declaredVolumes);
        var (ports, portTexts) = ParsePorts(map, lookup);
        var envFiles = new List<string>();
        if (map.Get("env_file") is { } envFileNode)
        {
            envFiles.AddRange(ReadEnvFiles(map, envFileNode));
        }

        return new ComposeService(name, location)
        {
            Image = map.String("image"),
            Environment = environment,
            Mounts = mounts,
            Ports = ports,
            PortTexts = portTexts,
            EnvFiles = envFiles,
            Entrypoint = Words(map.Get("entrypoint")),
            Command = Words(map.Get("command")),
            WorkingDir = Scalar(map, "working_dir"),
            Healthcheck = ParseHealthcheck(map),
            User = Scalar(map, "user"),
            Privileged = Scalar(map, "privileged") is "true" or "True",
            CapAdd = ScalarList(map, "cap_add"),
            CapDrop = ScalarList(map, "cap_drop"),
            Profiles = ScalarList(map, "profiles"),
            NetworkMode = Scalar(map, "network_mode"),
            ContainerName = Scalar(map, "container_name"),
            Expose = map.Get("expose") is YamlSequenceNode expose ? expose.OfType<YamlScalarNode>().Select(s => s.Value ?? "").ToList() : [],
            Tmpfs = map.Get("tmpfs") switch
            {
                null => null,
                YamlSequenceNode list => list.OfType<YamlScalarNode>().Select(s => s.Value ?? "").ToList(),
                YamlScalarNode s when !YamlMap.IsNull(s) => [s.Value ?? ""],
                _ => [],
            },
            Resources = ParseResources(map),
            Variables = YamlDocuments.Scalars(node).Where(s => s.Value?.Contains('$') == true).SelectMany(s => Interpolation.ReferencedVariables(s.Value!)).Distinct().ToList(),
        };
    }

    /// <summary>The entries of <c>environment:</c>, in either form; entries of the wrong shape are reported and left out.</summary>
    private static List<EnvironmentEntry> ParseEnvironment(YamlMap map)
    {
        var entries = new List<EnvironmentEntry>();
        switch (map.Get("environment"))
        {
            case null:
            case YamlScalarNode s when YamlMap.IsNull(s):
                break;
            case YamlMappingNode env:
                foreach (var (key, value) in env.Children)
                {
                    if (value is not YamlScalarNode scalar)
                    {
                        map.Diagnostics.Error(DiagnosticCodes.WrongType, $"environment '{key}' in {map.Context} must be a single value", value.At(map.File));
                    }
                    else if (key is YamlScalarNode { Value: { } name })
                    {
                        entries.Add(new EnvironmentEntry(name, YamlMap.IsNull(scalar) ? null : scalar.Value));
                    }
                }

                break;
            case YamlSequenceNode list:
                foreach (var item in list)
                {
                    if (item is not YamlScalarNode { Value: { Length: > 0 } text } || text.StartsWith('='))
                    {
                        map.Diagnostics.Error(DiagnosticCodes.WrongType, $"each environment entry in {map.Context} must read KEY=value or KEY", item.At(map.File));
                        continue;
                    }

                    var eq = text.IndexOf('=');
                    entries.Add(eq < 0 ? new EnvironmentEntry(text, null) : new EnvironmentEntry(text[..eq], text[(eq + 1)..]));
                }

                break;
            case var other:
                map.Diagnostics.Error(DiagnosticCodes.WrongType, $"'environment' in {map.Context} must be a mapping or a list of KEY=value", other.At(map.File));
                break;
        }

        return entries;
    }

    /// <summary>A scalar's text; null when absent, explicitly null, or not a scalar (the shape of keys Slipway only passes through is compose's to check).</summary>
    private static string? Scalar(YamlMap map, string key) =>
        map.Get(key) is YamlScalarNode s && !YamlMap.IsNull(s) ? s.Value : null;

    private static List<string> ScalarList(YamlMap map, string key) =>
        map.Get(key) is YamlSequenceNode list ? list.OfType<YamlScalarNode>().Select(s => s.Value).OfType<string>().ToList() : [];

    /// <summary>Compose entrypoint/command: a list, or a string split like a shell would (quotes, no expansion).</summary>
    private static List<string>? Words(YamlNode? node) => node switch
    {
        YamlSequenceNode seq => seq.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "").ToList(),
        YamlScalarNode s when !YamlMap.IsNull(s) => ShellWords.Split(s.Value ?? ""),
        _ => null,
    };

    private static ComposeHealthcheck? ParseHealthcheck(YamlMap map)
    {
        if (map.Get("healthcheck") is not YamlMappingNode check) return null;
        if (ScalarOf(check, "disable") is "true" or "True") return ComposeHealthcheck.Disabled;
        var words = Child(check, "test") switch
        {
            YamlSequenceNode seq => seq.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "").ToList(),
            YamlScalarNode s when !YamlMap.IsNull(s) => ["CMD-SHELL", s.Value ?? ""],
            _ => [],
        };
        List<string> command = words switch
        {
            ["NONE", ..] => [],
            ["CMD", .. var rest] => rest,
            ["CMD-SHELL", .. var rest] => ["/bin/sh", "-c", string.Join(' ', rest)],
            _ => [],
        };
        if (command.Count == 0) return ComposeHealthcheck.Disabled;
        return new ComposeHealthcheck(command, ScalarOf(check, "interval"), ScalarOf(check, "timeout"), ScalarOf(check, "retries"), ScalarOf(check, "start_period"));
    }

    private static ComposeResources? ParseResources(YamlMap map)
    {
        if (map.Get("deploy") is not YamlMappingNode deploy || Child(deploy, "resources") is not YamlMappingNode resources) return null;
        ComposeResourceAmounts Side(string key) => Child(resources, key) is YamlMappingNode side
            ? new ComposeResourceAmounts(ScalarOf(side, "cpus"), ScalarOf(side, "memory"))
            : new ComposeResourceAmounts(null, null);
        return new ComposeResources(Side("reservations"), Side("limits"));
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? ScalarOf(YamlMappingNode node, string key) =>
        Child(node, key) is YamlScalarNode s && !YamlMap.IsNull(s) ? s.Value : null;

    private static IEnumerable<string> ReadEnvFiles(YamlMap map, YamlNode node)
    {
        switch (node)
        {
            case YamlScalarNode { Value: { } single }:
                yield return single;
                break;
            case YamlSequenceNode list:
                foreach (var item in list)
                {
                    if (item is YamlScalarNode { Value: { } path })
                    {
                        yield return path;
                    }
                    else if (item is YamlMappingNode entry && new YamlMap(entry, map.File, map.Diagnostics, $"an env_file of {map.Context}") is var entryMap)
                    {
                        entryMap.RejectUnknownKeys(["path", "required", "format"]);
                        if (entryMap.String("path") is { } path2) yield return path2;
                    }
                }

                break;
            default:
                map.Diagnostics.Error(DiagnosticCodes.WrongType, $"'env_file' of {map.Context} must be a path or a list of paths", node.At(map.File));
                break;
        }
    }

    /// <summary>Reports interpolation syntax errors at their exact column (for plain one-line scalars).</summary>
    private static void CheckInterpolation(YamlNode root, string file, DiagnosticBag diagnostics, Func<string, string?> lookup)
    {
        foreach (var scalar in YamlDocuments.Scalars(root))
        {
            if (scalar.Value is not { } text || !text.Contains('$')) continue;
            foreach (var error in Interpolation.Apply(text, lookup).Errors)
            {
                // Columns map 1:1 onto plain one-line scalars; a quoted one shifts by its opening quote.
                var oneLine = !text.Contains('\n');
                var shift = !oneLine ? 0 : scalar.Style switch
                {
                    ScalarStyle.Plain => error.Column - 1,
                    ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted => error.Column,
                    _ => 0,
                };
                var at = new SourceLocation(file, (int)scalar.Start.Line, (int)scalar.Start.Column + shift);
                if (error.Message.StartsWith("required variable", StringComparison.Ordinal))
                {
                    // It may still come from the environment docker compose runs in; say so now, let compose decide at start.
                    diagnostics.Warning(DiagnosticCodes.Interpolation, error.Message, at, "set it in the spec's config");
                }
                else
                {
                    diagnostics.Error(DiagnosticCodes.Interpolation, error.Message, at);
                }
            }
        }
    }

}
