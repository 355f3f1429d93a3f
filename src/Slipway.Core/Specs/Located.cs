using Slipway.Core.Diagnostics;

namespace Slipway.Core.Specs;

/// <summary>A located value from the spec, so later checks can still point at the line that said it.</summary>
public sealed record Located<T>(T Value, SourceLocation Location);
