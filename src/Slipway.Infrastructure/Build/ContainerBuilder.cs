using Slipway.Core.Diagnostics;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Build;

public sealed record BuildRequest
{
    public IReadOnlyList<string> Include { get; init; } = [];

    public bool ForceRebuild { get; init; }

    public string? ExtraBuildArgs { get; init; }
}

public sealed record BuiltImage(string Container, string Tag, TimeSpan Duration);

/// <summary>
/// Builds the images a stack lists under <c>containers:</c> from <c>container-build/&lt;name&gt;/</c>: its
/// <c>build.sh</c> when present (laconic-so's contract, plus SLIPWAY_* variables), else its Dockerfile.
/// Images are tagged <c>&lt;container&gt;:local</c>.
/// </summary>
public sealed class ContainerBuilder(IProcessRunner runner, string docker = "docker")
{
    public async Task<IReadOnlyList<BuiltImage>> BuildAsync(Stack stack, BuildRequest request, Action<string, string>? progress, CancellationToken cancellationToken)
    {
        var containers = stack.Definition.Containers;
        var unknown = request.Include.Where(i => !containers.Contains(i)).ToList();
        if (unknown.Count > 0)
        {
            throw new SlipwayException(FailureReason.NotFound, $"--include names {string.Join(", ", unknown)}, which the stack does not list under containers",
                containers.Count == 0 ? "the stack lists no containers" : "containers: " + string.Join(", ", containers));
        }

        var built = new List<BuiltImage>();
        foreach (var container in containers.Where(c => request.Include.Count == 0 || request.Include.Contains(c)))
        {
            var directory = stack.ContainerBuildDirectory(container)
                ?? throw new SlipwayException(FailureReason.NotFound, $"no build folder for container '{container}': expected container-build/{Stack.ContainerDirectoryName(container)}/ with a Dockerfile or build.sh");
            var tag = LocalTag(container);
            var spec = BuildSpec(container, directory, tag, request) with
            {
                OnStandardOutput = line => progress?.Invoke(container, line),
                OnStandardError = line => progress?.Invoke(container, line),
                Timeout = TimeSpan.FromMinutes(30),
            };
            var result = await runner.RunAsync(spec, cancellationToken);
            if (!result.Succeeded)
            {
                throw new SlipwayException(FailureReason.DeploymentFailed, $"building {container} failed (exit code {result.ExitCode}):\n{result.Tail()}");
            }

            built.Add(new BuiltImage(container, tag, result.Duration));
        }

        return built;
    }

    public static string LocalTag(string container)
    {
        var colon = container.LastIndexOf(':');
        return colon > container.LastIndexOf('/') ? container : container + ":local";
    }

    internal ProcessSpec BuildSpec(string container, string directory, string tag, BuildRequest request)
    {
        var script = Path.Combine(directory, "build.sh");
        if (File.Exists(script))
        {
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(script) & UnixFileMode.UserExecute) == 0)
            {
                throw new SlipwayException(FailureReason.InvalidInput, $"{script} is not executable", $"chmod +x {script}");
            }

            return new ProcessSpec(script, [])
            {
                WorkingDirectory = directory,
                Environment = new Dictionary<string, string?>
                {
                    ["SLIPWAY_IMAGE_TAG"] = tag,
                    ["SLIPWAY_BUILD_ARGS"] = request.ExtraBuildArgs ?? "",
                    ["SLIPWAY_FORCE_REBUILD"] = request.ForceRebuild ? "true" : null,
                    ["CERC_DEFAULT_CONTAINER_IMAGE_TAG"] = tag,
                    ["CERC_CONTAINER_EXTRA_BUILD_ARGS"] = request.ExtraBuildArgs ?? "",
                    ["CERC_FORCE_REBUILD"] = request.ForceRebuild ? "true" : null,
                    ["CERC_CONTAINER_BASE_DIR"] = directory,
                },
            };
        }

        if (!File.Exists(Path.Combine(directory, "Dockerfile")))
        {
            throw new SlipwayException(FailureReason.NotFound, $"{directory} has neither build.sh nor Dockerfile");
        }

        var args = new List<string> { "build", "--tag", tag };
        if (request.ForceRebuild) args.Add("--no-cache");
        if (!string.IsNullOrWhiteSpace(request.ExtraBuildArgs))
        {
            args.AddRange(request.ExtraBuildArgs.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        args.Add(directory);
        return new ProcessSpec(docker, args) { WorkingDirectory = directory };
    }
}
