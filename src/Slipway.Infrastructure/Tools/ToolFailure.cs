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
        new(reason, $"{what} failed ({How(result)}):\n{result.Tail()}", hint);
}
