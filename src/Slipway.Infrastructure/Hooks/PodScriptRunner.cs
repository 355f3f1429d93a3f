using Slipway.Core.Diagnostics;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Hooks;

/// <summary>Runs a pod's pre/post start script in its own folder with the compose project named; a non-zero exit is fatal.</summary>
internal static class PodScriptRunner
{
    public static async Task RunAsync(IProcessRunner runner, string pod, string script, bool post, string project, Action<string>? progress, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string?>? extra = null, bool debug = false)
    {
        var what = post ? "post_start_command" : "pre_start_command";
        if (!File.Exists(script))
        {
            throw new SlipwayException(FailureReason.NotFound, $"pod '{pod}': {what} {script} does not exist", "re-render the deployment directory with 'slipway deploy create --update'");
        }

        progress?.Invoke($"pod {pod}: running {what} {Path.GetFileName(script)}");
        var environment = new Dictionary<string, string?>(HostUser.ComposeVariables(debug), StringComparer.Ordinal) { [PodScripts.ProjectVariable] = project };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) environment[key] = value;
        var result = await runner.RunAsync(new ProcessSpec(script, [])
        {
            WorkingDirectory = Path.GetDirectoryName(script),
            Environment = environment,
            Timeout = TimeSpan.FromMinutes(10),
            OnStandardOutput = progress,
            OnStandardError = progress,
        }, cancellationToken);
        if (!result.Succeeded)
        {
            throw new SlipwayException(FailureReason.DeploymentFailed,
                $"pod '{pod}': {what} {Path.GetFileName(script)} failed ({(result.TimedOut ? "timed out" : $"exit code {result.ExitCode}")}):\n{result.Tail()}");
        }
    }
}
