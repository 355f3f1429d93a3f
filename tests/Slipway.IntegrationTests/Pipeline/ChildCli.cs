using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Slipway.IntegrationTests.Pipeline;

/// <summary>
/// The real CLI as a child process (<c>dotnet slipway.dll ...</c>), so that a test can SIGKILL it mid-run the way an
/// operator's machine would: no finally blocks, no lock release, whatever child command it ran left orphaned.
/// </summary>
public sealed class ChildCli : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ChildCli(Process process)
    {
        _process = process;
    }

    public int Pid => _process.Id;

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public static ChildCli Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    /// <summary>The CLI with <paramref name="environment"/> added to the test's (e.g. SLIPWAY_DOCKER for another engine).</summary>
    public static ChildCli Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        // Through env(1), which resets SIGINT to its default before it execs dotnet (same pid): a test run
        // started in the background (nohup, `cmd &`) ignores SIGINT, the CLI would inherit that, and a test
        // that sends Ctrl-C would see a run that never heard it.
        var start = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "slipway.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = new Process { StartInfo = start };
        var child = new ChildCli(process);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Polls the newest run.json under D until <paramref name="stage"/> is running; fails if the CLI exits first.</summary>
    public async Task WaitForStageAsync(string deploymentDirectory, string stage, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var runs = Path.Combine(deploymentDirectory, ".slipway", "runs");
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) Assert.Fail($"the CLI exited ({_process.ExitCode}) before stage {stage} ran:\n{Output}");
            if (StageState(runs, stage) == "running") return;
            await Task.Delay(25);
        }

        Assert.Fail($"stage {stage} did not start within {timeout}:\n{Output}");
    }

    /// <summary>The state of a stage in the newest run.json (null when there is none yet).</summary>
    public static string? StageState(string runsDirectory, string stage)
    {
        if (!Directory.Exists(runsDirectory)) return null;
        var newest = Directory.GetDirectories(runsDirectory).Order(StringComparer.Ordinal).LastOrDefault();
        var file = newest is null ? null : Path.Combine(newest, "run.json");
        if (file is null || !File.Exists(file)) return null;
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            return json.RootElement.GetProperty("stages").EnumerateArray()
                .Where(s => s.GetProperty("name").GetString() == stage)
                .Select(s => s.GetProperty("state").GetString())
                .FirstOrDefault();
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null; // written atomically, but a read can still race a rename
        }
    }

    /// <summary>Sends a signal (TERM, INT) to the CLI alone, as a service manager or a terminal would.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits for the CLI to exit on its own; returns its exit code (fails the test at the timeout).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the CLI did not exit within {timeout}:\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>
    /// SIGKILL to the CLI alone (by PID). Its children (docker compose) are orphaned and finish on their own, as they
    /// would on a real host; this waits until they are gone so the next command does not race them.
    /// </summary>
    public async Task KillAsync()
    {
        var orphans = Descendants(_process.Id);
        _process.Kill(entireProcessTree: false); // SIGKILL on Unix
        await _process.WaitForExitAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (orphans.Any(p => Directory.Exists($"/proc/{p}")) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
    }

    /// <summary>Runs the real binary to its end (its own runtimeconfig, so its message resources), returning exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToEndAsync(params string[] args)
    {
        using var child = Start(args);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await child._process.WaitForExitAsync(timeout.Token);
        child._process.WaitForExit(); // flushes the asynchronous output readers
        return (child._process.ExitCode, child.Output);
    }

    /// <summary>SIGKILL to the CLI alone, returning at once: its children (docker compose) are left running, orphaned.</summary>
    public async Task<IReadOnlyList<int>> KillAloneAsync()
    {
        var orphans = Descendants(_process.Id);
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
        return orphans;
    }

    /// <summary>
    /// SIGKILL to the CLI and every process under it at once (a killed service unit, a closed terminal's process group):
    /// nothing finishes what it was doing. Returns once they are all gone.
    /// </summary>
    public async Task KillAllAsync()
    {
        var all = Descendants(_process.Id);
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (all.Any(p => Directory.Exists($"/proc/{p}")) && DateTime.UtcNow < deadline) await Task.Delay(50);
    }

    /// <summary>The CLI's live child processes.</summary>
    public IReadOnlyList<int> Children() => Descendants(_process.Id);

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private static List<int> Descendants(int pid)
    {
        var all = new List<int>();
        var queue = new Queue<int>([pid]);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            var tasks = $"/proc/{current}/task";
            if (!Directory.Exists(tasks)) continue;
            foreach (var task in Directory.GetDirectories(tasks))
            {
                string children;
                try
                {
                    children = File.ReadAllText(Path.Combine(task, "children"));
                }
                catch (IOException)
                {
                    continue;
                }

                foreach (var child in children.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse))
                {
                    all.Add(child);
                    queue.Enqueue(child);
                }
            }
        }

        return all;
    }
}
