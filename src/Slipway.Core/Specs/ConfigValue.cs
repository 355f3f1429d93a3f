using Slipway.Core.Diagnostics;

namespace Slipway.Core.Specs;

public sealed record ConfigValue(string Key, string Value, SourceLocation Location);
