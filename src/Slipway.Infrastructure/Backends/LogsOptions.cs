namespace Slipway.Infrastructure.Backends;

public sealed record LogsOptions(bool Follow, int? Tail, IReadOnlyList<string> Services);
