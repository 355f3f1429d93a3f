using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Tools;

/// <summary>The typed tool wrappers over one runner: every child command of an operation goes through one of these.</summary>
public sealed class ToolBox(ToolPaths paths, IProcessRunner runner)
{
    public ToolPaths Paths { get; } = paths;

    public IProcessRunner Runner { get; } = runner;

    public Docker Docker { get; } = new(runner, paths.Docker);

    public Git Git { get; } = new(runner, paths.Git);

    public Kind Kind { get; } = new(runner, paths.Kind);

    public Helm Helm { get; } = new(runner, paths.Helm);
}
