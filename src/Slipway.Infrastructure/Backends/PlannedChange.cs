namespace Slipway.Infrastructure.Backends;

/// <summary>One thing start/restart would change: Action is create, update, recreate, delete, start, pull or unchanged.</summary>
public sealed record PlannedChange(string Kind, string Name, string Action, string? Detail = null);
