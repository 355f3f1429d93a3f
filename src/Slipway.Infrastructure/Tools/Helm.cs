using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Tools;

/// <summary>The helm CLI, for what run-job --helm-release needs: one template of D/chart rendered as a release would.</summary>
public sealed class Helm(IProcessRunner runner, string executable = "helm")
{
    public string Executable { get; } = executable;

    /// <summary><c>helm template RELEASE CHART --show-only TEMPLATE [--set-json VALUES]</c>: the rendered YAML.</summary>
    public async Task<string> TemplateAsync(string release, string chart, string template, string? setJson, CancellationToken cancellationToken)
    {
        List<string> args = ["template", release, chart, "--show-only", template];
        if (setJson is not null) args.AddRange(["--set-json", setJson]);
        var result = await runner.RunAsync(new ProcessSpec(Executable, args) { Timeout = TimeSpan.FromMinutes(1) }, cancellationToken);
        if (!result.Succeeded)
        {
            throw ToolFailure.Of($"helm template {release} {chart} --show-only {template}", result, FailureReason.DeploymentFailed, $"check the chart with 'helm lint {chart}'");
        }

        return result.StandardOutput;
    }
}
