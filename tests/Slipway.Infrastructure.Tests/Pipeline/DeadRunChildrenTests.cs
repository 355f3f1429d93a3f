using System.Diagnostics;
using Slipway.Infrastructure.Pipeline;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Tests.Pipeline;

/// <summary>
/// The children a dead run left behind, on real processes: also one its record missed (slipway killed between the
/// child's start and the save of run.json) is waited for, found by working in D with its output in a child folder.
/// </summary>
public sealed class DeadRunChildrenTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();
    private readonly List<Process> _processes = [];

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.Dispose();
        }

        _workspace.Dispose();
    }

    private Process Start(ProcessStartInfo start, string workingDirectory)
    {
        start.WorkingDirectory = workingDirectory;
        start.UseShellExecute = false;
        var process = Process.Start(start)!;
        _processes.Add(process);
        return process;
    }

    [Fact]
    public async Task A_child_its_record_missed_is_waited_for_when_it_works_in_D_with_its_output_in_a_child_folder()
    {
        var d = Directory.CreateDirectory(_workspace.Combine("D")).FullName;
        var elsewhere = Directory.CreateDirectory(_workspace.Combine("elsewhere")).FullName;
        using var files = ChildOutputFiles.TryCreate([])!;
        // A shell with a child of its own (as docker runs its compose plugin): the child is waited for through its parent.
        var missed = Start(files.StartInfo("/bin/sh", ["-c", "sleep 2; exit 0"]), d);
        var piped = Start(new ProcessStartInfo("/bin/sleep", ["30"]) { RedirectStandardOutput = true }, d);
        using var otherFiles = ChildOutputFiles.TryCreate([])!;
        var otherD = Start(otherFiles.StartInfo("/bin/sleep", ["30"]), elsewhere);
        var run = new RunRecord { Id = "20261202-130000000-start-dead", Command = "start", Host = Environment.MachineName };
        var warnings = new Reporter();

        var settled = await DeadRunChildren.SettleAsync(run, warnings, TimeSpan.FromSeconds(30), CancellationToken.None, d);

        Assert.True(missed.HasExited, "settle went on while the child its record missed still ran");
        var found = Assert.Single(settled);
        Assert.Equal((missed.Id, files.Folder), (found.Pid, found.OutputFolder));
        Assert.Contains(warnings.Lines, l => l.Contains($"pid {missed.Id} (", StringComparison.Ordinal) && l.Contains("which its record missed", StringComparison.Ordinal));
        Assert.False(piped.HasExited || otherD.HasExited, "a process that is not a run child of D was ended");
    }

    private sealed class Reporter : Reporting.IReporter
    {
        public List<string> Lines { get; } = [];

        public void Info(string message) => Lines.Add(message);

        public void Warn(string message) => Lines.Add(message);

        public void Detail(string message) => Lines.Add(message);

        public Task<T> StepAsync<T>(string title, Func<Action<string>, Task<T>> work) => work(_ => { });
    }
}
