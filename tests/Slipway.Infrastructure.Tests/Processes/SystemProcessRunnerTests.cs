using System.Collections.Concurrent;
using System.Diagnostics;
using Slipway.Infrastructure.Logging;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Tests.Processes;

public sealed class SystemProcessRunnerTests
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(500);

    private readonly SystemProcessRunner _runner = new();

    [Fact]
    public async Task Arguments_with_spaces_quotes_and_dollars_reach_the_child_unsplit_and_unexpanded()
    {
        var result = await _runner.RunAsync(Shell("for a in \"$@\"; do printf '[%s]\\n' \"$a\"; done", "a b", "it's", "$HOME", "\"q\"", "", "*"));

        result.ShouldSucceed().ShouldHaveStandardOutput("[a b]\n[it's]\n[$HOME]\n[\"q\"]\n[]\n[*]\n");
    }

    /// <summary>
    /// The kernel refuses to exec a file some process still has open for writing (ETXTBSY). A script Slipway has just
    /// written is briefly held so whenever another thread forks a child between the write's open and close; the start waits that out.
    /// </summary>
    [Fact]
    public async Task A_script_still_open_for_writing_is_started_once_the_writer_closes_it()
    {
        var folder = Directory.CreateTempSubdirectory("slipway-etxtbsy-");
        try
        {
            var script = Path.Combine(folder.FullName, "run.sh");
            var writer = new FileStream(script, FileMode.CreateNew, FileAccess.Write);
            writer.Write("#!/bin/sh\necho started\n"u8);
            writer.Flush();
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
            var closing = Task.Delay(300).ContinueWith(_ => writer.Dispose(), TaskScheduler.Default);

            var result = await _runner.RunAsync(new ProcessSpec(script, []));

            await closing;
            result.ShouldSucceed().ShouldHaveStandardOutput("started\n");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Stdout_and_stderr_are_captured_separately_in_order()
    {
        var result = await _runner.RunAsync(Shell("echo out1; echo err1 >&2; echo out2; echo err2 >&2"));

        result.ShouldSucceed().ShouldHaveStandardOutput("out1\nout2\n");
        Assert.Equal("err1\nerr2\n", result.StandardError);
    }

    [Fact]
    public async Task Large_output_on_both_streams_at_once_neither_deadlocks_nor_loses_lines()
    {
        var result = await _runner.RunAsync(Shell("seq 1 50000 >&2 & seq 1 50000; wait"));

        var expected = string.Concat(Enumerable.Range(1, 50000).Select(i => $"{i}\n"));
        result.ShouldSucceed().ShouldHaveStandardOutput(expected);
        Assert.Equal(expected, result.StandardError);
    }

    [Fact]
    public async Task Callbacks_receive_each_line_of_their_own_stream()
    {
        var outLines = new ConcurrentQueue<string>();
        var errLines = new ConcurrentQueue<string>();

        await _runner.RunAsync(Shell("echo a; echo b >&2; echo c") with { OnStandardOutput = outLines.Enqueue, OnStandardError = errLines.Enqueue });

        Assert.Equal(["a", "c"], outLines);
        Assert.Equal(["b"], errLines);
    }

    [Fact]
    public async Task Standard_input_is_delivered_then_closed()
    {
        var result = await _runner.RunAsync(new ProcessSpec("cat", []) { StandardInput = "first line\nsecond line\n", Timeout = TimeSpan.FromSeconds(10) });

        result.ShouldSucceed().ShouldHaveStandardOutput("first line\nsecond line\n");
    }

    [Fact]
    public async Task Without_standard_input_stdin_is_closed_at_once()
    {
        var result = await _runner.RunAsync(new ProcessSpec("cat", []) { Timeout = TimeSpan.FromSeconds(10) });

        result.ShouldSucceed().ShouldHaveStandardOutput("");
    }

    [Fact]
    public async Task A_child_that_ignores_its_standard_input_still_completes()
    {
        var result = await _runner.RunAsync(Shell("exit 0") with { StandardInput = new string('x', 1_000_000), Timeout = TimeSpan.FromSeconds(10) });

        result.ShouldSucceed();
    }

    [Fact]
    public async Task A_non_zero_exit_code_is_returned_not_thrown()
    {
        var result = await _runner.RunAsync(Shell("echo broken >&2; exit 3"));

        result.ShouldExitWith(3).ShouldHaveStandardErrorContaining("broken");
        Assert.False(result.Succeeded);
        Assert.False(result.TimedOut);
    }

    [Fact]
    public async Task Environment_variables_are_set_and_null_values_remove_inherited_ones()
    {
        const string Inherited = "SLIPWAY_TEST_INHERITED_VARIABLE";
        Environment.SetEnvironmentVariable(Inherited, "from-parent");
        var spec = Shell($"echo \"set=${{SLIPWAY_TEST_SET-unset}} removed=${{{Inherited}-unset}}\"") with
        {
            Environment = new Dictionary<string, string?> { ["SLIPWAY_TEST_SET"] = "a value", [Inherited] = null },
        };

        var result = await _runner.RunAsync(spec);

        result.ShouldSucceed().ShouldHaveStandardOutput("set=a value removed=unset\n");
    }

    [Fact]
    public async Task The_working_directory_is_honoured()
    {
        using var workspace = new TempWorkspace();

        var result = await _runner.RunAsync(Shell("pwd -P") with { WorkingDirectory = workspace.Path });

        result.ShouldSucceed().ShouldHaveStandardOutput(workspace.Path + "\n");
    }

    [Fact]
    public async Task A_missing_working_directory_is_reported_as_such_not_as_a_missing_tool()
    {
        using var workspace = new TempWorkspace();

        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => _runner.RunAsync(Shell("true") with { WorkingDirectory = workspace.Combine("absent") }));
    }

    [Fact]
    public async Task A_missing_executable_throws_ToolNotFoundException_naming_it()
    {
        var exception = await Assert.ThrowsAsync<ToolNotFoundException>(() => _runner.RunAsync(new ProcessSpec("slipway-no-such-tool", ["--version"])));

        Assert.Equal("slipway-no-such-tool", exception.Tool);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_script_without_its_interpreter_line_is_named_as_such_not_as_missing_from_path()
    {
        using var workspace = new TempWorkspace();
        var script = workspace.WriteFile("build.sh", "echo built\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var exception = await Assert.ThrowsAsync<ToolNotFoundException>(() => _runner.RunAsync(new ProcessSpec(script, [])));

        Assert.Equal(Slipway.Core.Diagnostics.FailureReason.InvalidInput, exception.Reason);
        Assert.Contains($"'{script}' exists but could not be started", exception.Message, StringComparison.Ordinal);
        Assert.Contains("a script needs its interpreter on its first line", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PATH", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_timeout_kills_the_whole_process_tree_and_returns_a_timed_out_result_promptly()
    {
        var grandchild = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var spec = Shell("sleep 300 & echo $!; wait") with { Timeout = ShortTimeout, OnStandardOutput = line => grandchild.TrySetResult(int.Parse(line)) };
        var stopwatch = Stopwatch.StartNew();

        var result = await _runner.RunAsync(spec);

        stopwatch.Stop();
        result.ShouldTimeOut().ShouldFail();
        Assert.True(stopwatch.Elapsed < ShortTimeout + TimeSpan.FromSeconds(2), $"returned after {stopwatch.Elapsed}");
        Assert.True(await HasExitedAsync(await grandchild.Task), "the grandchild 'sleep 300' survived the timeout");
    }

    [Fact]
    public async Task Cancellation_kills_the_whole_process_tree_then_throws()
    {
        using var cancellation = new CancellationTokenSource();
        var grandchild = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var spec = Shell("sleep 300 & echo $!; wait") with
        {
            Timeout = TimeSpan.FromSeconds(30),
            OnStandardOutput = line =>
            {
                grandchild.TrySetResult(int.Parse(line));
                cancellation.CancelAfter(TimeSpan.FromMilliseconds(100));
            },
        };
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _runner.RunAsync(spec, cancellation.Token));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"returned after {stopwatch.Elapsed}");
        Assert.True(await HasExitedAsync(await grandchild.Task), "the grandchild 'sleep 300' survived the cancellation");
    }

    [Fact]
    public async Task An_already_cancelled_token_throws_without_starting_anything()
    {
        var log = new RecordingCommandLog();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new LoggingProcessRunner(new SystemProcessRunner(), log).RunAsync(Shell("true"), new CancellationToken(canceled: true)));

        Assert.Empty(log.Events);
    }

    [Fact]
    public async Task A_background_process_holding_stdout_open_does_not_hang_the_run()
    {
        var log = new RecordingCommandLog();
        var runner = new LoggingProcessRunner(new SystemProcessRunner { StreamDrainTimeout = TimeSpan.FromMilliseconds(300) }, log);
        var stopwatch = Stopwatch.StartNew();

        var result = await runner.RunAsync(Shell("sleep 30 & echo $!"));

        stopwatch.Stop();
        var straggler = int.Parse(result.StandardOutput.Trim());
        try
        {
            result.ShouldSucceed();
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"returned after {stopwatch.Elapsed}");
            Assert.Contains(log.Events, e => e.StartsWith("note: output streams still open", StringComparison.Ordinal));
        }
        finally
        {
            Process.GetProcessById(straggler).Kill();
        }
    }

    [Fact]
    public async Task A_throwing_callback_does_not_block_the_child_and_surfaces_after_exit()
    {
        var spec = Shell("seq 1 100000") with
        {
            Timeout = TimeSpan.FromSeconds(10),
            OnStandardOutput = _ => throw new InvalidOperationException("callback broke"),
        };

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => _runner.RunAsync(spec));

        Assert.Equal("callback broke", exception.Message);
    }

    [Fact]
    public async Task An_inheriting_child_uses_our_console_and_captures_nothing()
    {
        var result = await _runner.RunAsync(Shell("exit 4") with { Inherit = true });

        result.ShouldExitWith(4).ShouldHaveStandardOutput("");
        Assert.Equal("", result.StandardError);
    }

    [Fact]
    public async Task An_inheriting_child_cannot_be_given_standard_input()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _runner.RunAsync(Shell("true") with { Inherit = true, StandardInput = "x" }));
    }

    [Fact]
    public async Task Secrets_are_redacted_in_the_command_line_output_callbacks_and_log_file()
    {
        const string Secret = "s3cr3t-token-value";
        using var workspace = new TempWorkspace();
        var callbackLines = new ConcurrentQueue<string>();
        string logText;
        ProcessResult result;
        using (var log = new FileCommandLog(workspace.Combine("logs", "run.log")))
        {
            var spec = Shell("echo \"token=$1\"; echo \"token=$1\" >&2", Secret) with
            {
                Secrets = [Secret],
                OnStandardOutput = callbackLines.Enqueue,
                OnStandardError = callbackLines.Enqueue,
            };

            result = await new LoggingProcessRunner(new SystemProcessRunner(), log).RunAsync(spec);
            logText = File.ReadAllText(log.Path);
        }

        result.ShouldSucceed().ShouldNotContain(Secret).ShouldHaveStandardOutput("token=[REDACTED]\n");
        Assert.Equal("token=[REDACTED]\n", result.StandardError);
        Assert.Contains("[REDACTED]", result.CommandLine);
        Assert.Equal(["token=[REDACTED]", "token=[REDACTED]"], callbackLines);
        Assert.DoesNotContain(Secret, logText);
        Assert.Contains("token=[REDACTED]", logText);
    }

    [Fact]
    public async Task The_command_log_gets_the_command_line_then_every_line_then_the_exit()
    {
        var log = new RecordingCommandLog();

        var result = await new LoggingProcessRunner(new SystemProcessRunner(), log).RunAsync(Shell("echo one; echo two >&2; exit 2"));

        Assert.Equal($"started: {result.CommandLine}", log.Events.First());
        Assert.Equal("exited: 2", log.Events.Last());
        Assert.Equal(["err: two", "out: one"], log.Events.Skip(1).SkipLast(1).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_result_carries_the_display_command_line_and_a_measured_duration()
    {
        var spec = Shell("sleep 0.2");

        var result = await _runner.RunAsync(spec);

        Assert.Equal(spec.Display(), result.CommandLine);
        Assert.InRange(result.Duration, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(5));
    }

    private static ProcessSpec Shell(string script, params string[] arguments) =>
        new("/bin/sh", ["-c", script, "sh", .. arguments]) { Timeout = TimeSpan.FromSeconds(20) };

    private static async Task<bool> HasExitedAsync(int pid)
    {
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(2); waited += TimeSpan.FromMilliseconds(50))
        {
            if (!IsRunning(pid))
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    // A killed orphan stays a zombie until some ancestor reaps it, and in a container PID 1 may never do so.
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[stat.LastIndexOf(')') + 2];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    private sealed class RecordingCommandLog : ICommandLog
    {
        private readonly ConcurrentQueue<string> _events = new();

        public IReadOnlyList<string> Events => [.. _events];

        public void Started(ProcessSpec spec) => _events.Enqueue($"started: {spec.Display()}");

        public void Output(ProcessSpec spec, bool isError, string line) => _events.Enqueue($"{(isError ? "err" : "out")}: {line}");

        public void Exited(ProcessSpec spec, ProcessResult result) => _events.Enqueue($"exited: {result.ExitCode}");

        public void Note(string message) => _events.Enqueue($"note: {message}");
    }
}
