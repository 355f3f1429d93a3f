using Slipway.Core.Diagnostics;

namespace Slipway.Core.Kubernetes;

/// <summary>An existing Kubernetes Secret exposed as environment: all its keys (envFrom) or the listed ones.</summary>
public sealed record SecretRefSpec(string Name, IReadOnlyList<string> Keys, SourceLocation Location);
