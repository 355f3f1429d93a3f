using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Reporting;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Pipeline;

/// <summary>What the engine drives: the stage plans, the backends, the tools, and the runner every child goes through.</summary>
public sealed record PipelineOptions
{
    public required IProcessRunner Runner { get; init; }

    public required Func<DeploymentSession, IProcessRunner, IDeploymentBackend> CreateBackend { get; init; }

    public required StagePlans Plans { get; init; }

    public ToolPaths Tools { get; init; } = ToolPaths.Default;

    public IReporter Reporter { get; init; } = NullReporter.Instance;

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public Func<string, string?> GetEnvironment { get; init; } = _ => null;

    /// <summary>The dev root (CERC_REPO_BASE_DIR) the build stage's scripts and default builds use.</summary>
    public string RepositoryBase { get; init; } = "";

    /// <summary><see cref="RepositoryBase"/> as a full path: where the pods' repositories are, whose commits a revision records.</summary>
    public string? DevRoot { get; init; }

    /// <summary>laconic-so's data folders, where the build stage also looks for a stack's build folders.</summary>
    public IReadOnlyList<string> LaconicDataRoots { get; init; } = [];

    public Tracing.RunTrace? Trace { get; init; }
}
