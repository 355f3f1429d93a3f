using Slipway.Core.Diagnostics;

namespace Slipway.Core.Kubernetes;

/// <summary>A <c>node-tolerations</c> entry; a null <see cref="Value"/> tolerates the taint whatever its value.</summary>
public sealed record NodeToleration(string Key, string? Value, string Effect, SourceLocation Location);
