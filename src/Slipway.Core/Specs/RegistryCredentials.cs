using Slipway.Core.Diagnostics;

namespace Slipway.Core.Specs;

public sealed record RegistryCredentials(string Server, string? Username, string? TokenEnv, string? TokenFile, SourceLocation Location);
