using Slipway.Core.Diagnostics;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Build;

/// <summary>
/// Builds the images a stack lists under <c>containers:</c> from <c>container-build/&lt;name&gt;/</c>: its
/// <c>build.sh</c> when present (laconic-so's contract, plus SLIPWAY_* variables), else its Dockerfile.
/// Each image is built as <c>&lt;name&gt;:&lt;revision&gt;</c> (immutable) and also tagged with the stack reference
/// (<c>&lt;name&gt;:local</c>) so compose files that name it keep working without pins.
/// </summary>
internal sealed class ContainerBuilder(Docker docker, Git git)
{
    /// <summary>Builds (or reuses) every image the request selects; the revision is resolved once for all of them.</summary>
    public async Task<IReadOnlyList<BuiltImage>> BuildAsync(Stack stack, BuildRequest request, Action<string, string>? progress, CancellationToken cancellationToken)
    {
        var containers = stack.Definition.Containers;
        var unknown = request.Include.Where(i => !containers.Contains(i)).ToList();
        if (unknown.Count > 0)
        {
            throw new SlipwayException(FailureReason.NotFound, $"--include names {string.Join(", ", unknown)}, which the stack does not list under containers",
                containers.Count == 0 ? "the stack lists no containers" : "containers: " + string.Join(", ", containers));
        }

        ValidateBuildArgs(request.BuildArgs);
        var selected = containers.Where(c => request.Include.Count == 0 || request.Include.Contains(c)).ToList();
        if (selected.Count == 0) return [];

        // Every build folder is checked before anything runs, so a typo in the last one does not cost the first builds.
        var folders = selected.Select(container => (container, directory: stack.ContainerBuildDirectory(container)
            ?? throw new SlipwayException(FailureReason.NotFound, $"no build folder for container '{container}': expected container-build/{Stack.ContainerDirectoryName(container)}/ with a Dockerfile or build.sh"))).ToList();
        foreach (var (container, directory) in folders) BuildSpec(container, directory, container, request);

        var resolver = new StackRevisionResolver(git);
        var built = new List<BuiltImage>();
        foreach (var (container, directory) in folders)
        {
            // Each image is tagged with the revision of its own build folder (see StackRevisionResolver.ResolveAsync).
            var revision = request.Revision ?? await resolver.ResolveAsync(stack, cancellationToken, directory);
            var stackImage = LocalTag(container);
            var reference = ImmutableReference(container, revision.Tag);
            var spec = BuildSpec(container, directory, reference, request);
            var started = DateTime.UtcNow;

            var ids = request.ForceRebuild ? new Dictionary<string, string>() : await docker.ImageIdsAsync(stackImage == reference ? [reference] : [reference, stackImage], cancellationToken);
            var reused = ids.ContainsKey(reference);
            if (reused)
            {
                progress?.Invoke(container, $"{reference} exists; not rebuilt (--force-rebuild builds it again)");
            }
            else
            {
                var result = await docker.Runner.RunAsync(spec with
                {
                    OnStandardOutput = line => progress?.Invoke(container, line),
                    OnStandardError = line => progress?.Invoke(container, line),
                    Timeout = TimeSpan.FromMinutes(30),
                }, cancellationToken);
                if (!result.Succeeded)
                {
                    throw new SlipwayException(FailureReason.DeploymentFailed, $"building {container} failed (exit code {result.ExitCode}):\n{result.Tail()}");
                }
            }

            // The stack's tag already naming the image is the no-change start: nothing to tag.
            if (stackImage != reference && !(reused && ids.TryGetValue(stackImage, out var id) && id == ids[reference]))
            {
                await docker.TagAsync(reference, stackImage,
                    spec.FileName != docker.Executable ? $"the build.sh of {container} must tag the image it builds with $SLIPWAY_IMAGE_TAG ({reference})" : null, cancellationToken);
            }

            built.Add(new BuiltImage(container, stackImage, reference, DateTime.UtcNow - started) { Reused = reused, Revision = revision });
        }

        return built;
    }

    /// <summary>The reference the compose files use: the container name, with <c>:local</c> unless it names a tag.</summary>
    public static string LocalTag(string container) => HasTag(container) ? container : container + ":local";

    /// <summary><c>&lt;name without tag&gt;:&lt;revision tag&gt;</c>.</summary>
    public static string ImmutableReference(string container, string tag) => Repository(container) + ":" + tag;

    /// <summary>The container name without its tag.</summary>
    public static string Repository(string container) => HasTag(container) ? container[..container.LastIndexOf(':')] : container;

    private static bool HasTag(string container)
    {
        var colon = container.LastIndexOf(':');
        return colon > container.LastIndexOf('/');
    }

    private static void ValidateBuildArgs(IReadOnlyList<string> buildArgs)
    {
        var bad = buildArgs.Where(a => a.IndexOf('=', StringComparison.Ordinal) <= 0).ToList();
        if (bad.Count > 0)
        {
            throw new SlipwayException(FailureReason.InvalidInput, $"--build-arg needs KEY=VALUE, not '{string.Join("', '", bad)}'", "e.g. --build-arg VERSION=1.2");
        }
    }

    internal ProcessSpec BuildSpec(string container, string directory, string reference, BuildRequest request)
    {
        var buildArgs = request.BuildArgs.SelectMany(a => new[] { "--build-arg", a }).ToList();
        if (!string.IsNullOrWhiteSpace(request.ExtraBuildArgs))
        {
            buildArgs.AddRange(request.ExtraBuildArgs.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        var script = Path.Combine(directory, "build.sh");
        if (File.Exists(script))
        {
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(script) & UnixFileMode.UserExecute) == 0)
            {
                throw new SlipwayException(FailureReason.InvalidInput, $"{script} is not executable", $"chmod +x {script}");
            }

            // Scripts word-split these; a value with spaces needs a Dockerfile build.
            var words = string.Join(' ', buildArgs);
            return new ProcessSpec(script, [])
            {
                WorkingDirectory = directory,
                Environment = new Dictionary<string, string?>
                {
                    ["SLIPWAY_IMAGE_TAG"] = reference,
                    ["SLIPWAY_BUILD_ARGS"] = words,
                    ["SLIPWAY_FORCE_REBUILD"] = request.ForceRebuild ? "true" : null,
                    ["CERC_DEFAULT_CONTAINER_IMAGE_TAG"] = reference,
                    ["CERC_CONTAINER_EXTRA_BUILD_ARGS"] = words,
                    ["CERC_FORCE_REBUILD"] = request.ForceRebuild ? "true" : null,
                    ["CERC_CONTAINER_BASE_DIR"] = directory,
                },
            };
        }

        if (!File.Exists(Path.Combine(directory, "Dockerfile")))
        {
            throw new SlipwayException(FailureReason.NotFound, $"{directory} has neither build.sh nor Dockerfile");
        }

        return docker.BuildSpec(reference, request.ForceRebuild, buildArgs, directory);
    }
}
