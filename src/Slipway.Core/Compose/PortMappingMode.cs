using System.Diagnostics.CodeAnalysis;

namespace Slipway.Core.Compose;

/// <summary>laconic-so's <c>--map-ports-to-host</c> recipes.</summary>
public enum PortMappingMode
{
    /// <summary><c>any-variable-random</c> (default): the port is left as written.</summary>
    AnyVariableRandom,

    /// <summary><c>localhost-same</c>: <c>127.0.0.1:P:P</c>.</summary>
    LocalhostSame,

    /// <summary><c>any-same</c>: <c>0.0.0.0:P:P</c>.</summary>
    AnySame,

    /// <summary><c>localhost-fixed-random</c>: <c>127.0.0.1:R:P</c> with R drawn once, now.</summary>
    LocalhostFixedRandom,

    /// <summary><c>any-fixed-random</c>: <c>0.0.0.0:R:P</c> with R drawn once, now.</summary>
    AnyFixedRandom,
}

/// <summary>CLI names of <see cref="PortMappingMode"/>.</summary>
public static class PortMappingModes
{
    private static readonly (string Name, PortMappingMode Mode)[] All =
    [
        ("any-variable-random", PortMappingMode.AnyVariableRandom),
        ("localhost-same", PortMappingMode.LocalhostSame),
        ("any-same", PortMappingMode.AnySame),
        ("localhost-fixed-random", PortMappingMode.LocalhostFixedRandom),
        ("any-fixed-random", PortMappingMode.AnyFixedRandom),
    ];

    public const PortMappingMode Default = PortMappingMode.AnyVariableRandom;

    /// <summary>The CLI names, in the order laconic-so lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(x => x.Name).ToArray();

    /// <summary>Parses a CLI name; throws <see cref="FormatException"/> listing the valid names.</summary>
    public static PortMappingMode Parse(string name) =>
        TryParse(name, out var mode, out var error) ? mode : throw new FormatException(error);

    public static bool TryParse(string name, out PortMappingMode mode, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var (candidate, value) in All)
        {
            if (candidate == name)
            {
                mode = value;
                error = null;
                return true;
            }
        }

        mode = Default;
        error = $"unknown port mapping '{name}' (expected one of: {string.Join(", ", Names)})";
        return false;
    }
}
