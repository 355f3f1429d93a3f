using System.Text.RegularExpressions;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Infrastructure.Build;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Registry;

/// <summary>Where and how to push: <c>image-registry</c> and, when the registry needs a login, <c>registry-credentials</c>.</summary>
public sealed record PushRequest(string Registry)
{
    public RegistryCredentials? Credentials { get; init; }

    /// <summary>The spec file's folder: a relative token-file is read from there.</summary>
    public string SpecDirectory { get; init; } = Directory.GetCurrentDirectory();

    public Func<string, string?> GetEnvironment { get; init; } = Environment.GetEnvironmentVariable;
}

/// <summary>
/// Pushes built images to <c>image-registry</c> under their immutable tags. With registry-credentials it first runs
/// <c>docker login --username U --password-stdin SERVER</c>: the token goes to docker's stdin only, and is a secret of
/// every child spec, so no command line, log or error shows it. The login stays in docker's own credential store
/// (as a manual <c>docker login</c> would), which is what lets compose pull the pushed images on start.
/// </summary>
public sealed partial class ImagePublisher(IProcessRunner runner, string docker = "docker")
{
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
            var tag = await RunAsync(["tag", image.Reference, remote], secrets, null, cancellationToken);
            if (!tag.Succeeded)
            {
                throw new SlipwayException(FailureReason.DeploymentFailed, $"tagging {image.Reference} as {remote} failed (exit code {tag.ExitCode}):\n{tag.Tail()}",
                    "build the images first (slipway --stack STACK build-containers)");
            }

            var push = await RunAsync(["push", remote], secrets, line => progress?.Invoke(image.Container, line), cancellationToken);
            if (!push.Succeeded)
            {
                throw new SlipwayException(FailureReason.DeploymentFailed, $"pushing {remote} failed (exit code {push.ExitCode}):\n{push.Tail()}",
                    push.StandardError.Contains("no basic auth credentials", StringComparison.OrdinalIgnoreCase)
                    || push.StandardError.Contains("unauthorized", StringComparison.OrdinalIgnoreCase)
                        ? "the registry wants a login: set registry-credentials in the spec (server, username, token-env or token-file)"
                        : "check that image-registry is reachable from this host");
            }

            var digest = DigestLine().Match(push.StandardOutput);
            pushed.Add(image with
            {
                Reference = remote,
                Duration = image.Duration + (DateTime.UtcNow - started),
                Digest = digest.Success ? digest.Groups[1].Value : null,
            });
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

    /// <summary>Logs in with the token read now; returns the token so later commands can redact it too.</summary>
    private async Task<string> LoginAsync(RegistryCredentials credentials, PushRequest request, CancellationToken cancellationToken)
    {
        var token = CheckLogin(request)!;
        var login = await runner.RunAsync(new ProcessSpec(docker, ["login", "--username", credentials.Username!, "--password-stdin", credentials.Server])
        {
            StandardInput = token,
            Secrets = [token],
            Timeout = TimeSpan.FromMinutes(2),
        }, cancellationToken);
        if (!login.Succeeded)
        {
            throw new SlipwayException(FailureReason.DeploymentFailed, $"docker login to {credentials.Server} as {credentials.Username} failed (exit code {login.ExitCode}):\n{login.Tail()}",
                $"check the username and the token in {(credentials.TokenEnv is { } v ? "$" + v : credentials.TokenFile)}");
        }

        return token;
    }

    private Task<ProcessResult> RunAsync(IReadOnlyList<string> args, IReadOnlyList<string> secrets, Action<string>? progress, CancellationToken cancellationToken) =>
        runner.RunAsync(new ProcessSpec(docker, args)
        {
            Secrets = secrets,
            OnStandardOutput = progress,
            OnStandardError = progress,
            Timeout = TimeSpan.FromMinutes(30),
        }, cancellationToken);

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
    public static string RemoteReference(string registry, string localReference)
    {
        var name = localReference;
        var slash = name.IndexOf('/');
        if (slash > 0)
        {
            var first = name[..slash];
            if (first.Contains('.') || first.Contains(':') || first == "localhost") name = name[(slash + 1)..];
        }

        return NormalizeRegistry(registry) + "/" + name;
    }

    [GeneratedRegex(@"digest: (sha256:[0-9a-f]{64})")]
    private static partial Regex DigestLine();
}
