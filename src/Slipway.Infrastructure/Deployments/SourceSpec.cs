using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;

namespace Slipway.Infrastructure.Deployments;

/// <summary>The git-tracked spec (null when spec-source is unset, gone or invalid) and what parsing it said.</summary>
public sealed record SourceSpec(Spec? Spec, IReadOnlyList<Diagnostic> Diagnostics);
