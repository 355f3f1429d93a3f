using Slipway.Core.Diagnostics;

namespace Slipway.Core.Specs;

public sealed record ServicePorts(string Service, IReadOnlyList<Located<string>> Ports, SourceLocation Location);
