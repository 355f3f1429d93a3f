using Slipway.Core.Diagnostics;

namespace Slipway.Core.Kubernetes;

/// <summary>A <c>node-affinities</c> rule: pods run only on nodes whose <see cref="Label"/> has <see cref="Value"/>.</summary>
public sealed record NodeAffinity(string Label, string Value, SourceLocation Location);
