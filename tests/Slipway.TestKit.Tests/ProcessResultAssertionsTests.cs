using Slipway.Infrastructure.Processes;
using Xunit.Sdk;

namespace Slipway.TestKit.Tests;

public sealed class ProcessResultAssertionsTests
{
    private static readonly ProcessResult Failed = new("kubectl apply -f web.yaml", 1, "deployment.apps/web configured\n", "error: quota exceeded\n", TimeSpan.FromSeconds(1.5));

    [Fact]
    public void A_failed_expectation_prints_the_command_line_exit_code_and_both_streams()
    {
        var failure = Assert.Throws<FailException>(() => Failed.ShouldSucceed());

        Assert.Contains("Expected the command to succeed.", failure.Message);
        Assert.Contains("$ kubectl apply -f web.yaml", failure.Message);
        Assert.Contains("exit code: 1", failure.Message);
        Assert.Contains("deployment.apps/web configured", failure.Message);
        Assert.Contains("error: quota exceeded", failure.Message);
    }

    [Fact]
    public void Met_expectations_return_the_result_for_chaining()
    {
        var result = Failed.ShouldFail().ShouldExitWith(1).ShouldHaveStandardErrorContaining("quota").ShouldHaveStandardOutputContaining("configured");

        Assert.Same(Failed, result);
    }

    [Fact]
    public void A_timed_out_result_does_not_count_as_success()
    {
        var timedOut = Failed with { ExitCode = 0, TimedOut = true };

        Assert.Throws<FailException>(() => timedOut.ShouldSucceed());
        timedOut.ShouldTimeOut();
    }

    [Fact]
    public void ShouldNotContain_checks_the_command_line_and_both_streams()
    {
        Assert.Throws<FailException>(() => Failed.ShouldNotContain("web.yaml"));
        Assert.Throws<FailException>(() => Failed.ShouldNotContain("quota"));
        Failed.ShouldNotContain("hunter2");
    }
}
