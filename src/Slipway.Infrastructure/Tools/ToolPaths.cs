using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Tools;

/// <summary>
/// The executables of the tools Slipway drives, as the composition root found them (SLIPWAY_DOCKER and friends, else
/// the names on PATH). <see cref="With"/> binds them to one process runner, e.g. a run's logging runner.
/// </summary>
public sealed record ToolPaths(string Docker = "docker", string Kubectl = "kubectl", string Kind = "kind", string Git = "git", string Helm = "helm",
    string Python = "python3")
{
    public static ToolPaths Default { get; } = new();

    public ToolBox With(IProcessRunner runner) => new(this, runner);
}
