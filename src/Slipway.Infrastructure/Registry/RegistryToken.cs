using Slipway.Core.Specs;
using Slipway.Core.Stacks;

namespace Slipway.Infrastructure.Registry;

/// <summary>A registry token read at run time, or why there is none (a warning, never the value).</summary>
internal sealed record RegistryTokenResult(string? Token, string? Warning)
{
    public bool HasToken => !string.IsNullOrEmpty(Token);
}

/// <summary>
/// Reads registry-credentials' token from its environment variable or file at the moment it is needed, so the value
/// is never stored in D (nor in anything that reaches git or a log). The spec parser refuses both at once; token-env would win here.
/// </summary>
internal static class RegistryToken
{
    public static RegistryTokenResult Resolve(RegistryCredentials credentials, string specDirectory, Func<string, string?> getEnvironment)
    {
        if (credentials.TokenEnv is { } variable)
        {
            var value = getEnvironment(variable);
            return string.IsNullOrEmpty(value)
                ? new RegistryTokenResult(null, $"registry-credentials ({credentials.Location}): environment variable {variable} is not set; no token for {credentials.Server}")
                : new RegistryTokenResult(value, null);
        }

        if (credentials.TokenFile is { } file)
        {
            var path = Path.GetFullPath(Path.Combine(specDirectory, StackResolver.ExpandHome(file)));
            if (!File.Exists(path))
            {
                return new RegistryTokenResult(null, $"registry-credentials ({credentials.Location}): token file {path} does not exist; no token for {credentials.Server}");
            }

            var token = File.ReadAllText(path).TrimEnd('\r', '\n');
            return token.Length == 0
                ? new RegistryTokenResult(null, $"registry-credentials ({credentials.Location}): token file {path} is empty")
                : new RegistryTokenResult(token, null);
        }

        return new RegistryTokenResult(null, $"registry-credentials ({credentials.Location}): neither token-env nor token-file is set; no token for {credentials.Server}");
    }
}
