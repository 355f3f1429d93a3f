using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Tools;

/// <summary>The kind CLI: list, create, delete clusters and load images into them.</summary>
public sealed class Kind(IProcessRunner runner, string executable = "kind")
{
    public string Executable { get; } = executable;

    /// <summary>The names <c>kind get clusters</c> lists (it prints "No kind clusters found." on stderr when there are none).</summary>
    public async Task<IReadOnlyList<string>> ClustersAsync(string workingDirectory, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(new ProcessSpec(Executable, ["get", "clusters"]) { WorkingDirectory = workingDirectory, Timeout = TimeSpan.FromSeconds(30) }, cancellationToken);
        if (!result.Succeeded)
        {
            throw ToolFailure.Of("kind get clusters", result, FailureReason.PrerequisiteMissing, "check that docker is running and that you may use it");
        }

        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith("No kind clusters", StringComparison.Ordinal))
            .ToList();
    }

    public async Task CreateAsync(string name, string configFile, string workingDirectory, Action<string>? progress, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(new ProcessSpec(Executable, ["create", "cluster", "--name", name, "--config", configFile])
        {
            // kind resolves relative extraMount host paths against its working directory: D, as the config means.
            WorkingDirectory = workingDirectory,
            Timeout = TimeSpan.FromMinutes(10),
            OnStandardError = progress,
            OnStandardOutput = progress,
        }, cancellationToken);
        if (!result.Succeeded)
        {
            throw ToolFailure.Of($"kind create cluster {name}", result, FailureReason.DeploymentFailed, $"see 'kind create cluster' above; the cluster configuration is {configFile}");
        }
    }

    public async Task DeleteAsync(string name, string workingDirectory, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(new ProcessSpec(Executable, ["delete", "cluster", "--name", name]) { WorkingDirectory = workingDirectory, Timeout = TimeSpan.FromMinutes(5) }, cancellationToken);
        if (!result.Succeeded)
        {
            throw ToolFailure.Of($"kind delete cluster {name}", result, FailureReason.DeploymentFailed, hint: null);
        }
    }

    /// <summary>Copies local images into the cluster's nodes, so pods run what was just built (no registry involved).</summary>
    public async Task LoadImagesAsync(string name, IReadOnlyList<string> images, string workingDirectory, CancellationToken cancellationToken)
    {
        if (images.Count == 0) return;
        var result = await runner.RunAsync(new ProcessSpec(Executable, ["load", "docker-image", "--name", name, .. images])
        {
            WorkingDirectory = workingDirectory,
            Timeout = TimeSpan.FromMinutes(10),
        }, cancellationToken);
        if (!result.Succeeded)
        {
            throw ToolFailure.Of($"kind load docker-image into {name}", result, FailureReason.DeploymentFailed,
                "every image must exist locally ('docker image ls'); build it with 'slipway build-containers'");
        }
    }
}
