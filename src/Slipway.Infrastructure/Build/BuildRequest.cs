namespace Slipway.Infrastructure.Build;

internal sealed record BuildRequest
{
    public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>Containers not to build (laconic-so's --exclude).</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Record a failed image and build the next one (the command still fails at the end).</summary>
    public bool ContinueOnError { get; init; }

    /// <summary>The dev root: CERC_REPO_BASE_DIR for build scripts, and where a container without a build folder is built from.</summary>
    public string RepositoryBase { get; init; } = "";

    /// <summary>--debug: CERC_SCRIPT_DEBUG=true for build scripts.</summary>
    public bool Debug { get; init; }

    /// <summary>The operator's DOCKER_BUILDKIT (scripts get "0", laconic-so's default, when it is unset).</summary>
    public string? DockerBuildKit { get; init; }

    /// <summary>Build without the cache, and even when an image with the exact tag already exists.</summary>
    public bool ForceRebuild { get; init; }

    /// <summary><c>KEY=VALUE</c> pairs passed as <c>--build-arg</c> (to docker build, or in SLIPWAY_BUILD_ARGS for build.sh).</summary>
    public IReadOnlyList<string> BuildArgs { get; init; } = [];

    /// <summary>laconic-so's free-form extra arguments for docker build, word-split.</summary>
    public string? ExtraBuildArgs { get; init; }

    /// <summary>--dry-run: work out each image's tag and whether it exists (git and docker reads), run no build and tag nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>The revision to tag every image with; null works out each image's from its build folder (<see cref="StackRevisionResolver"/>).</summary>
    public StackRevision? Revision { get; init; }
}
