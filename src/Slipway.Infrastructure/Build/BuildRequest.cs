namespace Slipway.Infrastructure.Build;

internal sealed record BuildRequest
{
    public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>Build without the cache, and even when an image with the exact tag already exists.</summary>
    public bool ForceRebuild { get; init; }

    /// <summary><c>KEY=VALUE</c> pairs passed as <c>--build-arg</c> (to docker build, or in SLIPWAY_BUILD_ARGS for build.sh).</summary>
    public IReadOnlyList<string> BuildArgs { get; init; } = [];

    /// <summary>laconic-so's free-form extra arguments for docker build, word-split.</summary>
    public string? ExtraBuildArgs { get; init; }

    /// <summary>The revision to tag every image with; null works out each image's from its build folder (<see cref="StackRevisionResolver"/>).</summary>
    public StackRevision? Revision { get; init; }
}
