using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Infrastructure.Build;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Registry;

/// <summary>
/// Pushes built images to <c>image-registry</c> under their immutable tags. With registry-credentials it first runs
/// <c>docker login --username U --password-stdin SERVER</c>: the token goes to docker's stdin only, and is a secret of
/// every child spec, so no command line, log or error shows it. The login stays in docker's own credential store
/// (as a manual <c>docker login</c> would), which is what lets compose pull the pushed images on start.
/// </summary>
internal sealed class ImagePublisher(Docker docker)
{
    // Servers this publisher logged in to: a check before the builds and the push after them log in once.
    private readonly HashSet<string> _loggedIn = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<BuiltImage>> PushAsync(IReadOnlyList<BuiltImage> images, PushRequest request, Action<string, string>? progress, CancellationToken cancellationToken)
    {
        var registry = NormalizeRegistry(request.Registry);
        if (images.Count == 0) return [];

        IReadOnlyList<string> secrets = [];
        if (request.Credentials is { } credentials)
        {
            var token = await LoginAsync(credentials, request, cancellationToken);
            secrets = [token];
        }

        var pushed = new List<BuiltImage>();
        foreach (var image in images)
        {
            var remote = RemoteReference(registry, image.Reference);
            var started = DateTime.UtcNow;
            await docker.TagAsync(image.Reference, remote, "build the images first (slipway --stack STACK build-containers)", cancellationToken, secrets);
            var digest = await docker.PushAsync(remote, secrets, line => progress?.Invoke(image.Container, line), cancellationToken);
            pushed.Add(image with { Reference = remote, Duration = image.Duration + (DateTime.UtcNow - started), Digest = digest });
        }

        return pushed;
    }

    /// <summary>
    /// Refuses, before anything is built or run, a push that cannot log in: credentials without a token (the variable is
    /// unset, the file missing or empty) or without a username. Returns the token (null without credentials).
    /// </summary>
    public static string? CheckLogin(PushRequest request)
    {
        NormalizeRegistry(request.Registry);
        if (request.Credentials is not { } credentials) return null;
        var token = RegistryToken.Resolve(credentials, request.SpecDirectory, request.GetEnvironment);
        if (!token.HasToken)
        {
            throw new SlipwayException(FailureReason.PrerequisiteMissing, $"cannot log in to {credentials.Server}: {token.Warning}",
                credentials.TokenEnv is { } variable ? $"export {variable} with the registry token before pushing" : "write the registry token into the token file");
        }

        if (string.IsNullOrWhiteSpace(credentials.Username))
        {
            throw new SlipwayException(FailureReason.InvalidInput, $"registry-credentials ({credentials.Location}) has no username; docker login to {credentials.Server} needs one",
                "add 'username: ...' under registry-credentials");
        }

        return token.Token!;
    }

    /// <summary>
    /// <see cref="CheckLogin"/>, then the <c>docker login</c> itself (a no-op without credentials): a token the registry
    /// refuses fails here, before anything is built, rather than at the push after the builds.
    /// </summary>
    public async Task CheckLoginAsync(PushRequest request, CancellationToken cancellationToken)
    {
        if (request.Credentials is not { } credentials)
        {
            CheckLogin(request);
            return;
        }

        await LoginAsync(credentials, request, cancellationToken);
    }

    /// <summary>Logs in with the token read now; returns the token so later commands can redact it too.</summary>
    private async Task<string> LoginAsync(RegistryCredentials credentials, PushRequest request, CancellationToken cancellationToken)
    {
        var token = CheckLogin(request)!;
        if (!_loggedIn.Add(credentials.Server)) return token;
        await docker.LoginAsync(credentials.Server, credentials.Username!, token, credentials.TokenEnv is { } v ? "$" + v : credentials.TokenFile ?? "the token file", cancellationToken);
        return token;
    }

    /// <summary>The push of an opened deployment: its spec's registry-credentials, token files read relative to its git-tracked spec.</summary>
    public static PushRequest RequestFor(DeploymentSession session, string registry, Func<string, string?> getEnvironment) => new(registry)
    {
        Credentials = session.Spec.RegistryCredentials,
        SpecDirectory = session.SpecDirectory,
        GetEnvironment = getEnvironment,
    };

    /// <summary>
    /// <c>image-registry</c> as a reference prefix: <c>host[:port][/path]</c>, no scheme, no trailing slash.
    /// </summary>
    public static string NormalizeRegistry(string registry)
    {
        var value = registry.Trim().TrimEnd('/');
        if (value.Contains("://", StringComparison.Ordinal))
        {
            throw new SlipwayException(FailureReason.InvalidInput, $"image-registry '{registry}' must not have a scheme",
                $"write it as host[:port][/path], e.g. {value[(value.IndexOf("://", StringComparison.Ordinal) + 3)..]}");
        }

        if (value.Length == 0 || value.Any(char.IsWhiteSpace) || value.Contains('@'))
        {
            throw new SlipwayException(FailureReason.InvalidInput, $"image-registry '{registry}' is not a registry address", "write it as host[:port][/path], e.g. registry.example.org:5000/team");
        }

        return value;
    }

    /// <summary><c>&lt;registry&gt;/&lt;repository&gt;:&lt;tag&gt;</c>; a registry host already in the local name is replaced.</summary>
    public static string RemoteReference(string registry, string localReference) => RegistryImages.Under(NormalizeRegistry(registry), localReference);
}
