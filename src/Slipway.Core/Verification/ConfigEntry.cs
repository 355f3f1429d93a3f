using Slipway.Core.Diagnostics;

namespace Slipway.Core.Verification;

/// <summary>One value the deployment feeds its services, and where it was set (spec config, an env file, D/config.env).</summary>
public sealed record ConfigEntry(string Key, string Value, SourceLocation? Origin);
