using Slipway.Core.Diagnostics;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Build;

/// <summary>
/// Builds the images a stack lists under <c>containers:</c>: from <c>container-build/&lt;name&gt;/</c>, its
/// <c>build.sh</c> when present (laconic-so's contract, see <see cref="BuildContract"/>, plus SLIPWAY_* variables),
/// else its Dockerfile; a container without a build folder is built like laconic-so's default-build.sh does, from
/// the Dockerfile of <c>&lt;dev root&gt;/&lt;last part of its name&gt;</c>. Each image is built as
/// <c>&lt;name&gt;:&lt;revision&gt;</c> (immutable) and also tagged with the stack reference (<c>&lt;name&gt;:local</c>)
/// so compose files that name it keep working without pins.
/// </summary>
internal sealed class ContainerBuilder(Docker docker, Git git)
{
    /// <summary>Builds (or reuses) every image the request selects, stopping at the first failure.</summary>
    public async Task<IReadOnlyList<BuiltImage>> BuildAsync(Stack stack, BuildRequest request, Action<string, string>? progress, CancellationToken cancellationToken) =>
        (await BuildAllAsync(stack, request with { ContinueOnError = false }, progress, cancellationToken)).Built;

    /// <summary>Builds (or reuses) every image the request selects; with ContinueOnError a failed image is recorded and the next one built.</summary>
    public async Task<BuildResults> BuildAllAsync(Stack stack, BuildRequest request, Action<string, string>? progress, CancellationToken cancellationToken)
    {
        var selected = StackListFilter.Select(stack.Definition.Containers, request.Include, request.Exclude, "containers");
        ValidateBuildArgs(request.BuildArgs);
        if (selected.Count == 0) return new BuildResults([], []);

        // Every build source is checked before anything runs, so a typo in the last one does not cost the first builds.
        var sources = selected.Select(c => Source(stack, c, request.RepositoryBase)).ToList();
        foreach (var source in sources.Where(s => s.Kind == BuildKind.Script)) CheckExecutable(Path.Combine(source.Directory, "build.sh"));

        using var contract = sources.FirstOrDefault(s => s.Kind == BuildKind.Script) is { } first ? BuildContract.For(Path.GetDirectoryName(first.Directory)!) : null;
        var resolver = new StackRevisionResolver(git);
        var built = new List<BuiltImage>();
        var failed = new List<BuildFailure>();
        foreach (var source in sources)
        {
            try
            {
                built.Add(await BuildOneAsync(stack, source, request, contract, resolver, progress, cancellationToken));
            }
            catch (SlipwayException e) when (request.ContinueOnError)
            {
                progress?.Invoke(source.Container, $"failed: {e.Message}");
                failed.Add(new BuildFailure(source.Container, e.Message));
            }
        }

        return new BuildResults(built, failed);
    }

    /// <summary>True when <see cref="BuildAsync"/> can build the container (a build folder, or a Dockerfile in its dev-root repository).</summary>
    public static bool CanBuild(Stack stack, string container, string repositoryBase) =>
        stack.ContainerBuildDirectory(container) is not null
        || (repositoryBase.Length > 0 && DefaultBuildDockerfile(DefaultBuildDirectory(container, repositoryBase)) is not null);

    /// <summary>
    /// The revision (so the immutable tag) the next build of <paramref name="container"/> gets, as <see cref="BuildAsync"/>
    /// works it out: of its build folder, or of its dev-root repository (laconic-so's default build); a build script's
    /// tag also carries the state of the stack's repositories. Null when the container cannot be built here.
    /// </summary>
    public static async Task<(string Directory, StackRevision Revision)?> NextRevisionAsync(Stack stack, string container, string repositoryBase, StackRevisionResolver resolver, CancellationToken cancellationToken)
    {
        if (!CanBuild(stack, container, repositoryBase)) return null;
        var source = Source(stack, container, repositoryBase);
        var revision = await resolver.ResolveAsync(stack, cancellationToken, source.Directory);
        if (source.Kind == BuildKind.Script) revision = await WithRepositoriesAsync(stack, revision, repositoryBase, resolver, cancellationToken);
        return (source.Directory, revision);
    }

    /// <summary>laconic-so's default build directory of a container without a build folder: <c>&lt;dev root&gt;/&lt;last part of its name&gt;</c>.</summary>
    public static string DefaultBuildDirectory(string container, string repositoryBase) =>
        Path.Combine(repositoryBase, Repository(container).Split('/')[^1]);

    private static string? DefaultBuildDockerfile(string directory) =>
        new[] { "Containerfile", "Dockerfile" }.Select(f => Path.Combine(directory, f)).FirstOrDefault(File.Exists);

    private static BuildSource Source(Stack stack, string container, string repositoryBase)
    {
        if (stack.ContainerBuildDirectory(container) is { } folder)
        {
            if (File.Exists(Path.Combine(folder, "build.sh"))) return new BuildSource(container, BuildKind.Script, folder);
            if (File.Exists(Path.Combine(folder, "Dockerfile"))) return new BuildSource(container, BuildKind.Dockerfile, folder);
            throw new SlipwayException(FailureReason.NotFound, $"{folder} has neither build.sh nor Dockerfile");
        }

        var devRoot = DefaultBuildDirectory(container, repositoryBase);
        if (repositoryBase.Length > 0 && DefaultBuildDockerfile(devRoot) is { } dockerfile) return new BuildSource(container, BuildKind.DevRoot, devRoot) { Dockerfile = dockerfile };
        throw new SlipwayException(FailureReason.NotFound,
            $"no build folder for container '{container}': expected container-build/{Stack.ContainerDirectoryName(container)}/ with a Dockerfile or build.sh, " +
            $"or (laconic-so's default build) a Dockerfile in {devRoot}",
            Directory.Exists(devRoot) ? null : "clone the stack's repositories with 'slipway --stack S setup-repositories'");
    }

    private async Task<BuiltImage> BuildOneAsync(Stack stack, BuildSource source, BuildRequest request, BuildContract? contract, StackRevisionResolver resolver,
        Action<string, string>? progress, CancellationToken cancellationToken)
    {
        var container = source.Container;
        // Each image is tagged with the revision of its own build folder (see StackRevisionResolver.ResolveAsync); a
        // script may build from the stack's repositories too, so their checked-out state is part of its tag.
        var revision = request.Revision ?? await resolver.ResolveAsync(stack, cancellationToken, source.Directory);
        if (request.Revision is null && source.Kind == BuildKind.Script) revision = await WithRepositoriesAsync(stack, revision, request.RepositoryBase, resolver, cancellationToken);
        var stackImage = LocalTag(container);
        var reference = ImmutableReference(container, revision.Tag);
        var spec = BuildSpec(source, reference, request, contract);
        var started = DateTime.UtcNow;

        string[] tags = stackImage == reference ? [reference] : [reference, stackImage];
        // A script's images are looked at before it runs even with --force-rebuild: which tag it moved says what it made.
        IReadOnlyDictionary<string, string> ids = request.ForceRebuild && source.Kind != BuildKind.Script
            ? new Dictionary<string, string>()
            : await docker.ImageIdsAsync(tags, cancellationToken);
        var reused = !request.ForceRebuild && ids.ContainsKey(reference);
        if (request.DryRun)
        {
            return new BuiltImage(container, stackImage, reference, TimeSpan.Zero)
            {
                Reused = reused,
                Revision = revision,
                DryRun = true,
                WouldRun = reused ? null : spec.Display() + (spec.WorkingDirectory is { } cwd ? $"  (in {cwd})" : "")
                    + (source.Kind == BuildKind.Script ? $" with SLIPWAY_IMAGE_TAG={reference} CERC_DEFAULT_CONTAINER_IMAGE_TAG={stackImage}" : ""),
            };
        }

        string? note = null;
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

            if (source.Kind == BuildKind.Script)
            {
                var before = ids;
                ids = await docker.ImageIdsAsync(tags, cancellationToken);
                var madeReference = ids.TryGetValue(reference, out var newReference) && (!before.TryGetValue(reference, out var oldReference) || oldReference != newReference);
                var madeLocal = stackImage != reference && ids.TryGetValue(stackImage, out var newLocal) && (!before.TryGetValue(stackImage, out var oldLocal) || oldLocal != newLocal);
                // Most laconic-so scripts hard-code "-t <name>:local": take the image they made (or, when the build
                // changed neither tag because the cache gave the same image, the :local one that is there).
                if (!madeReference && (madeLocal || (!ids.ContainsKey(reference) && stackImage != reference && ids.ContainsKey(stackImage))))
                {
                    await docker.TagAsync(stackImage, reference, null, cancellationToken);
                    note = $"its build.sh tagged only {stackImage}; Slipway tagged that image {reference}";
                    progress?.Invoke(container, note);
                    ids = new Dictionary<string, string>(ids) { [reference] = ids[stackImage] };
                }
                else if (!ids.ContainsKey(reference))
                {
                    throw new SlipwayException(FailureReason.DeploymentFailed,
                        $"the build.sh of {container} succeeded but made no image: neither {reference} nor {stackImage} exists",
                        "tag the image it builds with $CERC_DEFAULT_CONTAINER_IMAGE_TAG or $SLIPWAY_IMAGE_TAG");
                }
            }
        }

        // The stack's tag already naming the image is the no-change start: nothing to tag.
        if (stackImage != reference && !(ids.TryGetValue(stackImage, out var id) && ids.TryGetValue(reference, out var referenceId) && id == referenceId))
        {
            await docker.TagAsync(reference, stackImage, null, cancellationToken);
        }

        return new BuiltImage(container, stackImage, reference, DateTime.UtcNow - started) { Reused = reused, Revision = revision, Note = note };
    }

    /// <summary>The folder's revision plus a hash of the checked-out state of the stack's repositories present in the dev root.</summary>
    private static async Task<StackRevision> WithRepositoriesAsync(Stack stack, StackRevision revision, string repositoryBase, StackRevisionResolver resolver, CancellationToken cancellationToken)
    {
        var states = new List<string>();
        foreach (var repo in stack.Definition.Repos)
        {
            if (!RepositoryLocator.TryParse(repo, out var locator)) continue;
            var directory = Path.Combine(repositoryBase, locator.DirectoryName);
            if (!Directory.Exists(Path.Combine(directory, ".git"))) continue;
            var state = await resolver.ResolveAsync(stack, cancellationToken, directory);
            states.Add($"{locator.DirectoryName}={state.Tag}");
        }

        if (states.Count == 0) return revision;
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", states))))[..8];
        return revision with
        {
            Tag = $"{revision.Tag}-repos-{hash}",
            Description = $"{revision.Description}, with the repositories {string.Join(", ", states)}",
        };
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

    private static void CheckExecutable(string script)
    {
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(script) & UnixFileMode.UserExecute) == 0)
        {
            throw new SlipwayException(FailureReason.InvalidInput, $"{script} is not executable", $"chmod +x {script}");
        }
    }

    internal ProcessSpec BuildSpec(BuildSource source, string reference, BuildRequest request, BuildContract? contract)
    {
        var buildArgs = request.BuildArgs.SelectMany(a => new[] { "--build-arg", a }).ToList();
        if (!string.IsNullOrWhiteSpace(request.ExtraBuildArgs))
        {
            buildArgs.AddRange(request.ExtraBuildArgs.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        switch (source.Kind)
        {
            case BuildKind.Script:
                var script = Path.Combine(source.Directory, "build.sh");
                CheckExecutable(script);

                // Scripts word-split these; a value with spaces needs a Dockerfile build.
                return new ProcessSpec(script, [])
                {
                    WorkingDirectory = source.Directory,
                    Environment = (contract ?? throw new InvalidOperationException("a build script needs the build contract")).Environment(new BuildScriptInputs(
                        LocalTag(source.Container), reference, request.RepositoryBase, request.ForceRebuild, string.Join(' ', buildArgs), request.Debug, request.DockerBuildKit)),
                };
            case BuildKind.DevRoot:
                return docker.BuildSpec(reference, request.ForceRebuild, ["--file", source.Dockerfile!, .. buildArgs], source.Directory);
            default:
                return docker.BuildSpec(reference, request.ForceRebuild, buildArgs, source.Directory);
        }
    }
}

internal enum BuildKind
{
    /// <summary>container-build/&lt;name&gt;/build.sh</summary>
    Script,

    /// <summary>container-build/&lt;name&gt;/Dockerfile</summary>
    Dockerfile,

    /// <summary>No build folder: the Containerfile or Dockerfile of &lt;dev root&gt;/&lt;repo&gt; (laconic-so's default-build.sh).</summary>
    DevRoot,
}

internal sealed record BuildSource(string Container, BuildKind Kind, string Directory)
{
    public string? Dockerfile { get; init; }
}

/// <summary>What a build with --continue-on-error did: the images built and those that failed.</summary>
public sealed record BuildResults(IReadOnlyList<BuiltImage> Built, IReadOnlyList<BuildFailure> Failed);

public sealed record BuildFailure(string Container, string Message);
