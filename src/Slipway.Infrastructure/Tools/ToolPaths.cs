using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Tools;

/// <summary>
/// The executables of the tools Slipway drives, as the composition root found them (SLIPWAY_DOCKER and friends, else
/// the names on PATH). <see cref="With"/> binds them to one process runner, e.g. a run's logging runner.
/// </summary>
public sealed record ToolPaths(string Docker = "docker", string Kubectl = "kubectl", string Kind = "kind", string Git = "git")
{
    public static ToolPaths Default { get; } = new();

    public ToolBox With(IProcessRunner runner) => new(this, runner);
}

/// <summary>The typed tool wrappers over one runner: every child command of an operation goes through one of these.</summary>
public sealed class ToolBox(ToolPaths paths, IProcessRunner runner)
{
    public ToolPaths Paths { get; } = paths;

    public IProcessRunner Runner { get; } = runner;

    public Docker Docker { get; } = new(runner, paths.Docker);

    public Git Git { get; } = new(runner, paths.Git);

    public Kind Kind { get; } = new(runner, paths.Kind);
}
