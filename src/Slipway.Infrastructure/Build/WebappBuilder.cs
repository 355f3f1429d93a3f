using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Build;

/// <summary>What <c>build-webapp</c> builds: a source folder on a base image whose build folder is known.</summary>
internal sealed record WebappBuildRequest
{
    /// <summary>The base image's name, e.g. <c>cerc/webapp-base</c>; built as <c>&lt;name&gt;:local</c>.</summary>
    public required string BaseContainer { get; init; }

    /// <summary><c>container-build/&lt;base&gt;/</c>: build.sh (laconic-so's contract) or Dockerfile, and Dockerfile.webapp.</summary>
    public required string BaseDirectory { get; init; }

    /// <summary>The webapp's source folder (absolute).</summary>
    public required string Source { get; init; }

    public required string Tag { get; init; }

    public string RepositoryBase { get; init; } = "";

    public bool ForceRebuild { get; init; }

    public string? ExtraBuildArgs { get; init; }

    public bool Debug { get; init; }

    public string? DockerBuildKit { get; init; }
}

/// <summary>
/// laconic-so's two-phase webapp build. Phase 1 builds the base image (<c>&lt;base&gt;:local</c>) from its build folder;
/// phase 2 builds the app from the source folder with the base folder's <c>Dockerfile.webapp</c> (which starts
/// <c>FROM &lt;base&gt;:local</c>). With a build.sh both phases run that script under the build contract, phase 2 with
/// <c>CERC_WEBAPP_BUILD_RUNNING=true</c>, <c>CERC_CONTAINER_BUILD_WORK_DIR</c>, <c>CERC_CONTAINER_BUILD_DOCKERFILE</c> and
/// <c>CERC_CONTAINER_BUILD_TAG</c>; without one, both are plain <c>docker build</c>s. Each phase must leave the image
/// it was to make, or the build fails (a script that exits 0 without building is not a success).
/// </summary>
internal sealed class WebappBuilder(Docker docker)
{
    public const string WebappDockerfile = "Dockerfile.webapp";

    public async Task<TimeSpan> BuildAsync(WebappBuildRequest request, Action<string, string>? progress, CancellationToken cancellationToken)
    {
        var script = Path.Combine(request.BaseDirectory, "build.sh");
        var hasScript = File.Exists(script);
        var dockerfile = Path.Combine(request.BaseDirectory, WebappDockerfile);
        if (!hasScript && !File.Exists(Path.Combine(request.BaseDirectory, "Dockerfile")))
        {
            throw new SlipwayException(FailureReason.NotFound, $"{request.BaseDirectory} has neither build.sh nor Dockerfile for the base image {request.BaseContainer}");
        }

        if (!File.Exists(dockerfile))
        {
            throw new SlipwayException(FailureReason.NotFound, $"{request.BaseDirectory} has no {WebappDockerfile}: the base image {request.BaseContainer} cannot build webapps",
                $"{WebappDockerfile} builds the app FROM {request.BaseContainer}:local with the source folder as its context");
        }

        if (hasScript && !OperatingSystem.IsWindows() && (File.GetUnixFileMode(script) & UnixFileMode.UserExecute) == 0)
        {
            throw new SlipwayException(FailureReason.InvalidInput, $"{script} is not executable", $"chmod +x {script}");
        }

        var started = DateTime.UtcNow;
        var baseTag = ContainerBuilder.LocalTag(request.BaseContainer);
        using var contract = hasScript ? BuildContract.For(Path.GetDirectoryName(request.BaseDirectory)!) : null;
        var extra = string.IsNullOrWhiteSpace(request.ExtraBuildArgs) ? [] : request.ExtraBuildArgs.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        var phase1 = contract is null
            ? docker.BuildSpec(baseTag, request.ForceRebuild, extra, request.BaseDirectory)
            : ScriptSpec(script, request, contract, baseTag, null);
        await RunPhaseAsync(request.BaseContainer, phase1, baseTag, "base image", progress, cancellationToken);

        var phase2 = contract is null
            ? docker.BuildSpec(request.Tag, request.ForceRebuild, ["--file", dockerfile, .. extra], request.Source)
            : ScriptSpec(script, request, contract, request.Tag, new Dictionary<string, string?>
            {
                ["CERC_WEBAPP_BUILD_RUNNING"] = "true",
                ["CERC_CONTAINER_BUILD_WORK_DIR"] = request.Source,
                ["CERC_CONTAINER_BUILD_DOCKERFILE"] = dockerfile,
                ["CERC_CONTAINER_BUILD_TAG"] = request.Tag,
            });
        await RunPhaseAsync(request.Tag, phase2, request.Tag, "webapp", progress, cancellationToken);
        return DateTime.UtcNow - started;
    }

    private static ProcessSpec ScriptSpec(string script, WebappBuildRequest request, BuildContract contract, string tag, IReadOnlyDictionary<string, string?>? phase2)
    {
        var environment = contract.Environment(new BuildScriptInputs(
            ContainerBuilder.LocalTag(request.BaseContainer), tag, request.RepositoryBase, request.ForceRebuild, request.ExtraBuildArgs ?? "", request.Debug, request.DockerBuildKit));
        foreach (var (key, value) in phase2 ?? new Dictionary<string, string?>()) environment[key] = value;
        return new ProcessSpec(script, []) { WorkingDirectory = Path.GetDirectoryName(script), Environment = environment };
    }

    private async Task RunPhaseAsync(string label, ProcessSpec spec, string expected, string what, Action<string, string>? progress, CancellationToken cancellationToken)
    {
        var result = await docker.Runner.RunAsync(spec with
        {
            OnStandardOutput = line => progress?.Invoke(label, line),
            OnStandardError = line => progress?.Invoke(label, line),
            Timeout = TimeSpan.FromMinutes(30),
        }, cancellationToken);
        if (!result.Succeeded)
        {
            throw new SlipwayException(FailureReason.DeploymentFailed, $"building the {what} {expected} failed (exit code {result.ExitCode}):\n{result.Tail()}");
        }

        if (!await docker.ImageExistsAsync(expected, cancellationToken))
        {
            throw new SlipwayException(FailureReason.DeploymentFailed, $"building the {what} succeeded but made no image {expected}",
                spec.FileName.EndsWith("build.sh", StringComparison.Ordinal)
                    ? $"{spec.FileName} must tag what it builds with $CERC_CONTAINER_BUILD_TAG when set, else {expected}"
                    : null);
        }
    }
}
