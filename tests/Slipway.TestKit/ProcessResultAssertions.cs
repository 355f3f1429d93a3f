using Slipway.Infrastructure.Processes;
using Xunit;

namespace Slipway.TestKit;

/// <summary>
/// Assertions on a <see cref="ProcessResult"/> that, when they fail, print all of it: command line, exit code,
/// stdout and stderr (dotnet/sdk's AppendDiagnosticsTo). Each returns the result for chaining.
/// </summary>
public static class ProcessResultAssertions
{
    public static ProcessResult ShouldSucceed(this ProcessResult result) =>
        Check(result, result.ExitCode == 0 && !result.TimedOut, "Expected the command to succeed.");

    public static ProcessResult ShouldFail(this ProcessResult result) =>
        Check(result, result.ExitCode != 0, "Expected the command to fail.");

    public static ProcessResult ShouldExitWith(this ProcessResult result, int exitCode) =>
        Check(result, result.ExitCode == exitCode, $"Expected exit code {exitCode}.");

    public static ProcessResult ShouldTimeOut(this ProcessResult result) =>
        Check(result, result.TimedOut, "Expected the command to time out.");

    public static ProcessResult ShouldHaveStandardOutput(this ProcessResult result, string expected) =>
        Check(result, result.StandardOutput == expected, $"Expected stdout to be exactly:\n{expected}");

    public static ProcessResult ShouldHaveStandardOutputContaining(this ProcessResult result, string text) =>
        Check(result, result.StandardOutput.Contains(text, StringComparison.Ordinal), $"Expected stdout to contain: {text}");

    public static ProcessResult ShouldHaveStandardErrorContaining(this ProcessResult result, string text) =>
        Check(result, result.StandardError.Contains(text, StringComparison.Ordinal), $"Expected stderr to contain: {text}");

    public static ProcessResult ShouldNotContain(this ProcessResult result, string text) =>
        Check(
            result,
            !result.ToString().Contains(text, StringComparison.Ordinal),
            $"Expected neither command line nor output to contain: {text}");

    private static ProcessResult Check(ProcessResult result, bool condition, string expectation)
    {
        if (!condition)
        {
            Assert.Fail($"{expectation}\n\n{result}");
        }

        return result;
    }
}
