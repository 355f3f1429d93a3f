namespace Slipway.Core.Compose;

/// <summary>
/// One entry of a service's <c>environment:</c>, from the mapping (<c>KEY: value</c>) or the list (<c>- KEY=value</c>)
/// form. <see cref="Value"/> is as written, before interpolation; null when the entry names the key without a value
/// (<c>- KEY</c>, <c>KEY:</c>), which compose fills from the environment it runs in.
/// </summary>
public sealed record EnvironmentEntry(string Key, string? Value);
