using Slipway.Core.Diagnostics;

namespace Slipway.Core.Kubernetes;

/// <summary>A spec configmap: <c>name: source</c>; a source starting with <c>./</c> means the stack's <c>config/&lt;name&gt;</c>.</summary>
public sealed record ConfigMapSpec(string Name, string Source, SourceLocation Location);
