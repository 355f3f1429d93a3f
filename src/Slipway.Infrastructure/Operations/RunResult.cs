using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Pipeline;

namespace Slipway.Infrastructure.Operations;

/// <summary>A finished run: how it ended and, when it succeeded, the deployment's containers or pods as they are now.</summary>
public sealed record RunResult(RunOutcome Outcome, IReadOnlyList<ServiceState> Services);
