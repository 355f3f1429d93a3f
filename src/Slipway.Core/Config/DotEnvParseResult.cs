namespace Slipway.Core.Config;

/// <summary>One <c>KEY=value</c> of a dotenv file; <see cref="Line"/> is the 1-based line the key is on.</summary>
public sealed record DotEnvEntry(string Key, string Value, int Line);

/// <summary>A problem in a dotenv file at a 1-based line and column.</summary>
public sealed record DotEnvError(int Line, int Column, string Message);

/// <summary>
/// The outcome of <see cref="DotEnv.Parse"/>: one entry per key in order of first appearance, holding the
/// value of its last assignment (later wins, as in compose).
/// </summary>
public sealed record DotEnvParseResult(
    IReadOnlyList<DotEnvEntry> Entries,
    IReadOnlyList<DotEnvError> Errors,
    IReadOnlyList<DotEnvError> Warnings)
{
    public bool Succeeded => Errors.Count == 0;

    public IReadOnlyDictionary<string, string> ToDictionary() =>
        Entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
}
