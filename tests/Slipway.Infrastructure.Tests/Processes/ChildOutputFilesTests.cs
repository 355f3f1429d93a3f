using System.Collections.Concurrent;
using System.Text;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Tests.Processes;

/// <summary>A run's children (<see cref="ProcessSpec.OutliveParent"/>) write to files, not pipes, and are read as they write.</summary>
public sealed class ChildOutputFilesTests
{
    private readonly SystemProcessRunner _runner = new();

    [Fact]
    public async Task A_child_that_outlives_its_parent_writes_to_files_not_to_pipes()
    {
        var result = await _runner.RunAsync(Shell("readlink /proc/self/fd/1; readlink /proc/self/fd/2 >&2"));

        result.ShouldSucceed();
        Assert.DoesNotContain("pipe:", result.StandardOutput + result.StandardError);
        Assert.Contains("slipway-child-", result.StandardOutput);
        Assert.EndsWith("/stdout\n", result.StandardOutput);
        Assert.EndsWith("/stderr\n", result.StandardError);
    }

    [Fact]
    public async Task Its_output_folder_is_private_while_it_runs_and_gone_when_it_has_ended()
    {
        var result = await _runner.RunAsync(Shell("d=$(dirname \"$(readlink /proc/$$/fd/1)\"); echo \"$d\"; stat -c %a \"$d\""));

        var lines = result.ShouldSucceed().StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("700", lines[1]);
        Assert.False(Directory.Exists(lines[0]), "the output folder was left behind");
    }

    [Fact]
    public async Task Lines_of_both_streams_reach_the_callbacks_as_they_are_written_and_the_result_in_full()
    {
        var outLines = new ConcurrentQueue<string>();
        var errLines = new ConcurrentQueue<string>();
        var seenBeforeExit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var marker = Path.Combine(Path.GetTempPath(), "slipway-child-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            // The child waits until the callback has seen its first line: lines are followed live, not read at the end.
            var spec = Shell($"echo first; echo err >&2; while [ ! -e '{marker}' ]; do sleep 0.05; done; printf 'crlf\\r\\nlast without end'") with
            {
                OnStandardOutput = line =>
                {
                    outLines.Enqueue(line);
                    if (line == "first") File.WriteAllText(marker, "");
                },
                OnStandardError = errLines.Enqueue,
            };

            var result = await _runner.RunAsync(spec);

            result.ShouldSucceed().ShouldHaveStandardOutput("first\ncrlf\nlast without end\n");
            Assert.Equal(["first", "crlf", "last without end"], outLines);
            Assert.Equal(["err"], errLines);
        }
        finally
        {
            File.Delete(marker);
        }
    }

    [Fact]
    public async Task Large_output_on_both_streams_loses_no_line()
    {
        var result = await _runner.RunAsync(Shell("seq 1 50000 >&2 & seq 1 50000; wait"));

        var expected = string.Concat(Enumerable.Range(1, 50000).Select(i => $"{i}\n"));
        result.ShouldSucceed().ShouldHaveStandardOutput(expected);
        Assert.Equal(expected, result.StandardError);
    }

    [Fact]
    public async Task Arguments_standard_input_exit_code_and_working_directory_are_as_with_pipes()
    {
        using var workspace = new TempWorkspace();
        var result = await _runner.RunAsync(Shell("for a in \"$@\"; do printf '[%s]\\n' \"$a\"; done; cat; pwd -P; exit 3", "a b", "$HOME", "", "*") with
        {
            StandardInput = "from stdin\n",
            WorkingDirectory = workspace.Path,
        });

        result.ShouldExitWith(3).ShouldHaveStandardOutput($"[a b]\n[$HOME]\n[]\n[*]\nfrom stdin\n{workspace.Path}\n");
    }

    [Fact]
    public async Task A_missing_executable_still_throws_ToolNotFoundException_naming_it()
    {
        var exception = await Assert.ThrowsAsync<ToolNotFoundException>(() => _runner.RunAsync(new ProcessSpec("slipway-no-such-tool", ["--version"]) { OutliveParent = true }));

        Assert.Equal("slipway-no-such-tool", exception.Tool);
    }

    [Fact]
    public async Task The_recorded_pid_is_the_program_itself_not_a_wrapper()
    {
        var pid = 0;
        var result = await _runner.RunAsync(Shell("echo $$") with { OnStarted = id => pid = id });

        Assert.Equal(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), result.ShouldSucceed().StandardOutput.Trim());
    }

    [Fact]
    public async Task The_output_folder_is_told_before_the_child_starts_and_is_the_one_its_output_goes_to()
    {
        string? folder = null;
        var result = await _runner.RunAsync(Shell("dirname \"$(readlink /proc/$$/fd/1)\"") with { OnOutputFolder = f => folder = f });

        Assert.Equal(folder, result.ShouldSucceed().StandardOutput.Trim());
    }

    [Fact]
    public void A_folder_left_behind_is_collected_line_by_line_then_deleted()
    {
        var folder = Directory.CreateTempSubdirectory("slipway-child-").FullName;
        File.WriteAllText(Path.Combine(folder, "stdout"), "one\ntwo");
        File.WriteAllText(Path.Combine(folder, "stderr"), " Container x  Recreated\n");
        var lines = new List<(bool, string)>();

        var left = ChildOutputFiles.Collect(folder, (isError, line) => lines.Add((isError, line)));

        Assert.Null(left);
        Assert.Equal([(false, "one"), (false, "two"), (true, " Container x  Recreated")], lines);
        Assert.False(Directory.Exists(folder));
        Assert.Null(ChildOutputFiles.Collect(folder, (_, _) => Assert.Fail("a folder that is gone has nothing to give")));
    }

    [Fact]
    public void Only_a_child_output_folder_of_the_temporary_folder_holding_its_two_files_is_read_or_deleted()
    {
        using var elsewhere = new TempWorkspace();
        var outside = Directory.CreateDirectory(elsewhere.Combine("slipway-child-abc")).FullName;
        File.WriteAllText(Path.Combine(outside, "stdout"), "x\n");
        var named = Directory.CreateTempSubdirectory("not-a-child-").FullName;
        var crowded = Directory.CreateTempSubdirectory("slipway-child-").FullName;
        File.WriteAllText(Path.Combine(crowded, "stdout"), "x\n");
        File.WriteAllText(Path.Combine(crowded, "keep.txt"), "mine\n");
        var link = Path.Combine(Path.GetTempPath(), "slipway-child-link-" + Guid.NewGuid().ToString("N"));
        Directory.CreateSymbolicLink(link, outside);
        try
        {
            foreach (var folder in new[] { outside, named, crowded, link })
            {
                Assert.Contains("left alone", ChildOutputFiles.Collect(folder, (_, _) => Assert.Fail($"{folder} was read")));
            }

            Assert.True(File.Exists(Path.Combine(outside, "stdout")) && File.Exists(Path.Combine(crowded, "keep.txt")) && Directory.Exists(named));
        }
        finally
        {
            Directory.Delete(link);
            Directory.Delete(named);
            Directory.Delete(crowded, recursive: true);
        }
    }

    [Fact]
    public void A_character_split_between_two_reads_stays_whole()
    {
        var splitter = new ChildOutputFiles.LineSplitter();
        var bytes = Encoding.UTF8.GetBytes("grüße\r");
        var lines = new List<string>();

        splitter.Push(bytes.AsSpan(0, 3), lines);
        splitter.Push(bytes.AsSpan(3), lines);
        splitter.Push("\nnext\n"u8, lines);

        Assert.Equal(["grüße", "next"], lines);
        Assert.Null(splitter.Rest());
    }

    private static ProcessSpec Shell(string script, params string[] arguments) =>
        new("/bin/sh", ["-c", script, "sh", .. arguments]) { Timeout = TimeSpan.FromSeconds(20), OutliveParent = true };
}
