using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Tools;

/// <summary>How a failed child command is told, for every tool alike: what failed, how (timed out or its exit code), and the end of its output.</summary>
internal static class ToolFailure
{
    /// <summary>The hint of a failure whose whole output went to a deployment's run log.</summary>
    public const string SeeTheLog = "the full output is in the log under .slipway/logs/ of the deployment directory";

    public static string How(ProcessResult result) => result.TimedOut ? "timed out" : $"exit code {result.ExitCode}";

    public static SlipwayException Of(string what, ProcessResult result, FailureReason reason, string? hint) =>
        NotAnswering(result) is { } missing
            ? new(FailureReason.PrerequisiteMissing, $"{what} failed ({How(result)}):\n{result.Tail()}", hint is null or SeeTheLog ? missing : hint)
            : new(reason, $"{what} failed ({How(result)}):\n{result.Tail()}", hint);

    /// <summary>
    /// The hint when the tool said its server does not answer (the Docker Engine, a cluster's API server): a missing
    /// prerequisite (exit 4), not a failed deploy; null for any other failure.
    /// </summary>
    public static string? NotAnswering(ProcessResult result)
    {
        var text = result.StandardError + "\n" + result.StandardOutput;
        if (text.Contains("Cannot connect to the Docker daemon", StringComparison.Ordinal) || text.Contains("Is the docker daemon running?", StringComparison.Ordinal)
            || text.Contains("error during connect", StringComparison.Ordinal))
        {
            return "the Docker Engine does not answer: start it (scripts/setup.sh here), or check DOCKER_HOST / the docker context ('docker info' shows the same error)";
        }

        if (text.Contains("Unable to connect to the server", StringComparison.Ordinal)
            || (text.Contains("The connection to the server", StringComparison.Ordinal) && text.Contains("was refused", StringComparison.Ordinal)))
        {
            return "the Kubernetes API server does not answer: check the cluster and the kube-config ('kubectl cluster-info' shows the same error)";
        }

        return null;
    }
}
