using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Reporting;

namespace Slipway.Infrastructure.Operations;

/// <summary>Everything an operation needs from the outside world, so tests can swap any of it.</summary>
public sealed record SlipwayEnvironment
{
    public required IProcessRunner Runner { get; init; }

    public IReporter Reporter { get; init; } = NullReporter.Instance;

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public string CurrentDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>Folders holding stacks shipped with Slipway (<c>stacks/</c> of the repository).</summary>
    public IReadOnlyList<string> ShippedStackRoots { get; init; } = [];

    /// <summary>Where pods from other repositories are checked out (laconic-so's CERC_REPO_BASE_DIR).</summary>
    public string RepositoryBase { get; init; } =
        Environment.GetEnvironmentVariable("SLIPWAY_REPO_BASE_DIR")
        ?? Environment.GetEnvironmentVariable("CERC_REPO_BASE_DIR")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "cerc");

    public string DockerExecutable { get; init; } = "docker";

    /// <summary>Random bytes for generated secrets (tests pin it).</summary>
    public Func<int, byte[]>? SecretBytes { get; init; }

    public Random Random { get; init; } = Random.Shared;
}
