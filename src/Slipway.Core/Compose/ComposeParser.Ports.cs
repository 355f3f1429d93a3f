using Slipway.Core.Diagnostics;
using Slipway.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Compose;

public static partial class ComposeParser
{
    private static (List<PortSpec> Ports, List<string> Texts) ParsePorts(YamlMap map, Func<string, string?> lookup)
    {
        var ports = new List<PortSpec>();
        var texts = new List<string>();
        if (map.Sequence("ports") is not { } items) return (ports, texts);
        foreach (var item in items)
        {
            switch (item)
            {
                case YamlScalarNode { Value: { } text }:
                    var interpolation = Interpolation.Apply(text, lookup);
                    if (PortSpec.TryParse(interpolation.Value, out var port, out var error))
                    {
                        ports.Add(port!);
                        texts.Add(text);
                    }
                    else if (SetVariables(interpolation, lookup) is { Count: > 0 } set)
                    {
                        ReportInterpolatedPort(map, item, $"invalid port '{text}'", set);
                    }
                    else
                    {
                        var interpolated = interpolation.Value == text ? "" : $" (after interpolating '{text}')";
                        map.Diagnostics.Error(DiagnosticCodes.InvalidPort, $"{map.Context}: {error}{interpolated}", item.At(map.File));
                    }

                    break;
                case YamlMappingNode longForm:
                    if (HasUnknownPortFields(longForm, map))
                    {
                        break;
                    }

                    var fields = new Dictionary<string, string>(StringComparer.Ordinal);
                    var fieldVariables = new List<string>();
                    foreach (var (k, v) in longForm.Children)
                    {
                        if (k is YamlScalarNode { Value: { } key } && v is YamlScalarNode { Value: { } fieldValue })
                        {
                            var field = Interpolation.Apply(fieldValue, lookup);
                            fields[key] = field.Value;
                            fieldVariables.AddRange(SetVariables(field, lookup));
                        }
                    }

                    try
                    {
                        var longPort = PortSpec.FromLong(fields);
                        ports.Add(longPort);
                        texts.Add(longPort.ToShortString());
                    }
                    catch (FormatException) when (fieldVariables.Count > 0)
                    {
                        ReportInterpolatedPort(map, item, "invalid port", [.. fieldVariables.Distinct(StringComparer.Ordinal)]);
                    }
                    catch (FormatException ex)
                    {
                        map.Diagnostics.Error(DiagnosticCodes.InvalidPort, $"a port of {map.Context}: {ex.Message}", item.At(map.File));
                    }

                    break;
                default:
                    map.Diagnostics.Error(DiagnosticCodes.InvalidPort, $"each port of {map.Context} must be a string like \"8080:80\" or a mapping with target", item.At(map.File));
                    break;
            }
        }

        return (ports, texts);
    }

    /// <summary>The variables of an interpolated text that have a value (from config or an env file: possibly a secret).</summary>
    private static List<string> SetVariables(InterpolationResult interpolation, Func<string, string?> lookup) =>
        [.. interpolation.Variables.Where(v => lookup(v) is not null)];

    /// <summary>
    /// A port that is invalid only once variables are substituted: the error names the variables and where they come
    /// from, never their values (an env-file value may be a secret, and errors go to terminals, logs and CI output).
    /// </summary>
    private static void ReportInterpolatedPort(YamlMap map, YamlNode item, string what, IReadOnlyList<string> variables)
    {
        var names = string.Join(", ", variables);
        map.Diagnostics.Error(DiagnosticCodes.InvalidPort,
            $"{map.Context}: {what}: with {names} substituted it is not a valid port (the value is not shown: it may be a secret)",
            item.At(map.File),
            $"check {names} in the spec's config and env files: a port is [[HOST_IP:]PUBLISHED:]TARGET[/PROTOCOL], ports 0-65535");
    }

    /// <summary>Reports each unknown long-syntax port field at its key, with the nearest field as a hint.</summary>
    private static bool HasUnknownPortFields(YamlMappingNode port, YamlMap map)
    {
        var found = false;
        foreach (var key in port.Children.Keys)
        {
            if (key is YamlScalarNode { Value: { } name } && !PortSpec.LongSyntaxFields.Contains(name) && !ComposeKeys.IsExtension(name))
            {
                map.Diagnostics.Error(DiagnosticCodes.InvalidPort, $"unknown port field '{name}' in a port of {map.Context}", key.At(map.File),
                    DidYouMean.Hint(name, PortSpec.LongSyntaxFields) ?? $"expected one of {string.Join(", ", PortSpec.LongSyntaxFields)}");
                found = true;
            }
        }

        return found;
    }
}
