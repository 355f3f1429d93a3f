namespace Slipway.Core.Compose;

/// <summary>A service's <c>deploy.resources</c>: reservations and limits, as written (Docker units, not yet checked).</summary>
public sealed record ComposeResources(ComposeResourceAmounts Reservations, ComposeResourceAmounts Limits);

/// <summary>One side of <c>deploy.resources</c>; a missing side has both amounts null.</summary>
public sealed record ComposeResourceAmounts(string? Cpus, string? Memory);
