using Slipway.Core.Specs;

namespace Slipway.Infrastructure.Registry;

/// <summary>Where and how to push: <c>image-registry</c> and, when the registry needs a login, <c>registry-credentials</c>.</summary>
internal sealed record PushRequest(string Registry)
{
    public RegistryCredentials? Credentials { get; init; }

    /// <summary>The spec file's folder: a relative token-file is read from there.</summary>
    public required string SpecDirectory { get; init; }

    /// <summary>Where a token-env is read, at the moment it is needed.</summary>
    public Func<string, string?> GetEnvironment { get; init; } = _ => null;
}
