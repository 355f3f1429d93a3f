namespace Slipway.Cli.Tests.Commands;

public sealed class LogsCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Logs_piped_to_a_file_have_no_terminal_control_codes()
    {
        var d = await _cli.CreateDeploymentAsync();
        _cli.Runner.OnContaining("logs", "--no-color").Returns(0, "\u001b[2Kweb-1  | hello\n\u001b[2Kweb-1  | \u001b[1mbold\u001b[0m again\r\n");

        var run = await _cli.RunAsync("deployment", "--dir", d, "logs");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("web-1  | hello\nweb-1  | bold again\n", run.Out);
        Assert.False(_cli.Runner.Calls.Single().Inherit);
        Assert.False(_cli.Runner.Calls.Single().CaptureOutput);
    }

    [Fact]
    public async Task A_followed_log_ended_by_sigterm_ends_quietly_with_success()
    {
        var d = await _cli.CreateDeploymentAsync();
        using var signal = new CancellationTokenSource();
        _cli.Runner.OnContaining("--no-color", "--follow").Responds(spec =>
        {
            spec.OnStandardOutput!("\u001b[2Kweb-1  | line");
            signal.Cancel();
            spec.OnStandardError!("canceled");
            throw new OperationCanceledException(signal.Token);
        });

        var run = await _cli.RunAsync(signal.Token, "deployment", "--dir", d, "logs", "-f");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("web-1  | line\n", run.Out);
        Assert.Empty(run.Err);
    }
}
