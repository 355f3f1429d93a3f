namespace Slipway.Core.Compose;

/// <summary>
/// The variables Slipway exports to every compose call of a stack, as laconic-so does before <c>up</c>: the user's ids,
/// and <c>CERC_SCRIPT_DEBUG</c> (true with --debug, else unset, so it substitutes blank). Not config the spec must set.
/// </summary>
public static class HostVariables
{
    public static IReadOnlyList<string> Names { get; } = ["CERC_HOST_UID", "CERC_HOST_GID", "CERC_SCRIPT_DEBUG"];

    public static bool Contains(string name) => Names.Contains(name, StringComparer.Ordinal);
}
