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
                    var value = Interpolation.Apply(text, lookup).Value;
                    if (PortSpec.TryParse(value, out var port, out var error))
                    {
                        ports.Add(port!);
                        texts.Add(text);
                    }
                    else
                    {
                        var interpolated = value == text ? "" : $" (after interpolating '{text}')";
                        map.Diagnostics.Error(DiagnosticCodes.InvalidPort, $"{map.Context}: {error}{interpolated}", item.At(map.File));
                    }

                    break;
                case YamlMappingNode longForm:
                    if (HasUnknownPortFields(longForm, map))
                    {
                        break;
                    }

                    var fields = new Dictionary<string, string>(StringComparer.Ordinal);
                    foreach (var (k, v) in longForm.Children)
                    {
                        if (k is YamlScalarNode { Value: { } key } && v is YamlScalarNode { Value: { } fieldValue })
                        {
                            fields[key] = Interpolation.Apply(fieldValue, lookup).Value;
                        }
                    }

                    try
                    {
                        var longPort = PortSpec.FromLong(fields);
                        ports.Add(longPort);
                        texts.Add(longPort.ToShortString());
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
