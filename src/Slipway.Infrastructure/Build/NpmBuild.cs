using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Build;

/// <summary>What every package's builder container of one build-npms run gets.</summary>
internal sealed record NpmBuildSettings(string Image, string RegistryUrl, string AuthToken, string Uid, string Gid)
{
    /// <summary>--debug: CERC_SCRIPT_DEBUG=true.</summary>
    public bool Debug { get; init; }

    /// <summary>--force-rebuild: CERC_FORCE_REBUILD=true (the script then skips its published-version check).</summary>
    public bool ForceRebuild { get; init; }

    /// <summary>--extra-build-args: CERC_CONTAINER_EXTRA_BUILD_ARGS.</summary>
    public string? ExtraBuildArgs { get; init; }
}

/// <summary>
/// laconic-so's build-npms contract: each package is a copy of its dev-root repository mounted at /workspace of the
/// builder-js image, which runs <c>build-npm-package-local-dependencies.sh REGISTRY_URL</c> with the token in
/// CERC_NPM_AUTH_TOKEN. The pure parts (registry, token, the docker run) and the copy of the package.
/// </summary>
internal static class NpmBuild
{
    public const string BuilderImage = "cerc/builder-js:local";
    public const string RegistryVariable = "CERC_NPM_REGISTRY_URL";
    public const string TokenVariable = "CERC_NPM_AUTH_TOKEN";
    public const string BuildScript = "build-npm-package-local-dependencies.sh";
    public const string Workspace = "/workspace";

    /// <summary>The URL laconic-so's own package-registry stack (gitea) serves its npm registry at.</summary>
    public const string LocalRegistryUrl = "http://gitea.local:3000/api/packages/cerc-io/npm/";

    /// <summary>laconic-so's local npm registry stack (gitea), and the compose project its registry check looks for.</summary>
    public const string RegistryStack = "package-registry";

    /// <summary>
    /// The compose project of the package-registry stack as <c>slipway --stack package-registry deploy up</c> names it,
    /// which is the name laconic-so's build-npms looked for (laconic-so's own deploy-system up hashed its install path
    /// instead, so its check never found the registry it had started).
    /// </summary>
    public static string RegistryProject => Core.Stacks.StackSelection.DefaultProjectName(RegistryStack, null, null);

    /// <summary>CERC_NPM_REGISTRY_URL, checked to be an http(s) URL; null when it is not set.</summary>
    public static string? RegistryUrlFromEnvironment(Func<string, string?> getEnvironment)
    {
        var value = getEnvironment(RegistryVariable)?.Trim();
        if (string.IsNullOrEmpty(value)) return null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || value.Any(char.IsWhiteSpace))
        {
            throw new SlipwayException(FailureReason.InvalidInput, $"{RegistryVariable} '{value}' is not an http:// or https:// URL",
                $"e.g. {RegistryVariable}={LocalRegistryUrl}");
        }

        return value;
    }

    /// <summary>Neither CERC_NPM_REGISTRY_URL nor a running package-registry stack.</summary>
    public static SlipwayException NoRegistry() =>
        new(FailureReason.PrerequisiteMissing,
            $"no npm registry for build-npms: {RegistryVariable} is not set and the {RegistryStack} stack is not running (no running container of compose project {RegistryProject})",
            $"start laconic-so's local registry with 'slipway --stack {RegistryStack} deploy up' (it is then {LocalRegistryUrl}), or set {RegistryVariable} to the registry to publish to");

    /// <summary>CERC_NPM_AUTH_TOKEN, which must be set: every package is published with it.</summary>
    public static string AuthToken(Func<string, string?> getEnvironment) =>
        getEnvironment(TokenVariable) is { Length: > 0 } token
            ? token
            : throw new SlipwayException(FailureReason.PrerequisiteMissing, $"{TokenVariable} is not defined: build-npms publishes each package with it",
                $"export {TokenVariable} with a token that may publish to the registry");

    /// <summary>
    /// <c>docker run --rm</c> of the builder on one package's copy, as the invoking user. Without -i/-t (laconic-so asked
    /// for a TTY, which fails where there is none, e.g. CI). The token and the free-form extra arguments are passed by
    /// name with their values in docker's environment, so no command line or log shows them; the URL is the script's
    /// argument through "$1", never spliced into the shell text.
    /// </summary>
    public static ProcessSpec RunSpec(Docker docker, string packageCopy, string containerName, NpmBuildSettings settings)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal) { [TokenVariable] = settings.AuthToken };
        var args = new List<string>
        {
            "run", "--rm", "--name", containerName, "--user", $"{settings.Uid}:{settings.Gid}",
            "--env", TokenVariable,
            // The convention of laconic's web app packages.
            "--env", "LACONIC_HOSTED_CONFIG_FILE=config-hosted.yml",
        };
        if (settings.Debug) args.AddRange(["--env", "CERC_SCRIPT_DEBUG=true"]);
        if (settings.ForceRebuild) args.AddRange(["--env", "CERC_FORCE_REBUILD=true"]);
        if (!string.IsNullOrEmpty(settings.ExtraBuildArgs))
        {
            environment["CERC_CONTAINER_EXTRA_BUILD_ARGS"] = settings.ExtraBuildArgs;
            args.AddRange(["--env", "CERC_CONTAINER_EXTRA_BUILD_ARGS"]);
        }

        // laconic-so's local registry is gitea.local on the host, whatever the URL names.
        args.AddRange(["--add-host", "gitea.local:host-gateway", "--volume", $"{packageCopy}:{Workspace}", settings.Image,
            "sh", "-c", $"cd {Workspace} && {BuildScript} \"$1\"", "sh", settings.RegistryUrl]);
        return docker.Spec(args) with
        {
            Environment = environment,
            Secrets = [settings.AuthToken],
            Timeout = TimeSpan.FromMinutes(30),
        };
    }

    /// <summary>
    /// A name of its own for one package's builder container, so an interrupted or timed-out build can remove it: killing
    /// the docker client does not stop the container, which would go on publishing.
    /// </summary>
    public static string ContainerName(string package, string suffix) =>
        $"slipway-build-npms-{new string(package.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '-').ToArray())}-{suffix}";

    /// <summary>
    /// Replaces <paramref name="target"/> with a copy of <paramref name="source"/> (files with their modes, symbolic links
    /// as links, not followed), so what JS tooling writes while building stays out of the clone.
    /// </summary>
    public static void ReplaceWithCopy(string source, string target)
    {
        if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
        else if (File.Exists(target)) File.Delete(target);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        CopyDirectory(new DirectoryInfo(source), target);
    }

    private static void CopyDirectory(DirectoryInfo source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var entry in source.EnumerateFileSystemInfos())
        {
            var destination = Path.Combine(target, entry.Name);
            if (entry.LinkTarget is { } link) File.CreateSymbolicLink(destination, link);
            else if (entry is DirectoryInfo directory) CopyDirectory(directory, destination);
            else File.Copy(entry.FullName, destination);
        }

        // After its entries, so a read-only folder is still filled.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(target, source.UnixFileMode);
    }
}
