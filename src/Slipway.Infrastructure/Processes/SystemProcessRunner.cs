using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Text;

namespace Slipway.Infrastructure.Processes;

/// <summary>
/// The real <see cref="IProcessRunner"/>: starts the executable directly with an argument list (no shell), forwards
/// stdout and stderr line by line as they arrive, and kills the entire process tree on timeout or cancellation.
/// </summary>
public sealed class SystemProcessRunner : IProcessRunner
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>How long to keep reading output after the child has exited (see <see cref="DrainAsync"/>).</summary>
    internal TimeSpan StreamDrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Inherit && spec.StandardInput is not null)
        {
            throw new ArgumentException("A process that inherits the console cannot also be given standard input.", nameof(spec));
        }

        if (spec.WorkingDirectory is { } workingDirectory && !Directory.Exists(workingDirectory))
        {
            // Process.Start reports a missing working directory with the same Win32Exception as a missing executable.
            throw new DirectoryNotFoundException($"Working directory '{workingDirectory}' does not exist (for: {spec.Display()}).");
        }

        cancellationToken.ThrowIfCancellationRequested();

        var notes = new List<string>();
        using var files = spec.OutliveParent && !spec.Inherit ? ChildOutputFiles.TryCreate(notes) : null;
        using var process = new Process { StartInfo = CreateStartInfo(spec, files) };
        var stdout = new CapturedLines { Keep = spec.CaptureOutput };
        var stderr = new CapturedLines { Keep = spec.CaptureOutput };

        // Created before Start so that an invalid timeout is rejected before there is a child to clean up.
        using var timeout = new CancellationTokenSource(spec.Timeout ?? Timeout.InfiniteTimeSpan);
        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var stopReading = new CancellationTokenSource();

        if (files is not null) spec.OnOutputFolder?.Invoke(files.Folder);
        var stopwatch = Stopwatch.StartNew();
        await StartAsync(process, spec, cancellationToken);

        spec.OnStarted?.Invoke(process.Id);

        var forwarders = Task.CompletedTask;
        var standardInput = Task.CompletedTask;
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (files is not null)
        {
            forwarders = Task.WhenAll(
                Task.Run(() => FollowAsync(files.StandardOutput, exited.Task, spec, isError: false, stdout, stopReading.Token), CancellationToken.None),
                Task.Run(() => FollowAsync(files.StandardError, exited.Task, spec, isError: true, stderr, stopReading.Token), CancellationToken.None));
            standardInput = WriteStandardInputAsync(process.StandardInput, spec.StandardInput, stopWaiting.Token);
        }
        else if (!spec.Inherit)
        {
            forwarders = Task.WhenAll(
                Task.Run(() => ForwardAsync(process.StandardOutput, spec, isError: false, stdout, stopReading.Token), CancellationToken.None),
                Task.Run(() => ForwardAsync(process.StandardError, spec, isError: true, stderr, stopReading.Token), CancellationToken.None));
            standardInput = WriteStandardInputAsync(process.StandardInput, spec.StandardInput, stopWaiting.Token);
        }

        var killed = false;
        try
        {
            await process.WaitForExitAsync(stopWaiting.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillProcessTree(process, notes);
            killed = true;
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        exited.SetResult();
        await standardInput.ConfigureAwait(false);
        await DrainAsync(forwarders, notes, stopReading).ConfigureAwait(false);
        stopwatch.Stop();

        if (killed && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException($"Cancelled after {stopwatch.Elapsed.TotalSeconds:0.000}s; process tree killed: {spec.Display()}", cancellationToken);
        }

        var result = new ProcessResult(spec.Display(), process.ExitCode, stdout.Close(), stderr.Close(), stopwatch.Elapsed)
        {
            TimedOut = killed,
            Notes = notes,
        };

        // Rethrown only now: a callback that throws must not stop the pipe being drained, or the child would block on a full pipe.
        (stdout.CallbackFailure ?? stderr.CallbackFailure)?.Throw();
        return result;
    }

    /// <summary>Linux's ETXTBSY: the file is still open for writing somewhere.</summary>
    private const int TextFileBusy = 26;

    /// <summary>
    /// A script written just before it runs (a hook, a pod script, a download) can be refused with ETXTBSY while a child
    /// forked by another thread still holds the writer's descriptor until its own exec; that passes in milliseconds, so
    /// the start is retried for up to two seconds before the file counts as unrunnable.
    /// </summary>
    private static async Task StartAsync(Process process, ProcessSpec spec, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(10);
        var waited = TimeSpan.Zero;
        while (true)
        {
            try
            {
                process.Start();
                return;
            }
            catch (Win32Exception e) when (e.NativeErrorCode == TextFileBusy && waited < TimeSpan.FromSeconds(2))
            {
                await Task.Delay(delay, cancellationToken);
                waited += delay;
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMilliseconds(200).Ticks));
            }
            catch (Win32Exception e)
            {
                throw new ToolNotFoundException(spec.FileName, e);
            }
        }
    }

    private static ProcessStartInfo CreateStartInfo(ProcessSpec spec, ChildOutputFiles? files)
    {
        ProcessStartInfo startInfo;
        if (files is not null)
        {
            // The shell that opens the files would report a missing program as its own exit 127, not as a start failure.
            var executable = ResolveExecutable(spec.FileName) ?? throw new ToolNotFoundException(spec.FileName, new FileNotFoundException(spec.FileName));
            startInfo = files.StartInfo(executable, spec.Arguments);
            startInfo.RedirectStandardInput = true;
            startInfo.StandardInputEncoding = Utf8;
        }
        else
        {
            startInfo = new ProcessStartInfo(spec.FileName)
            {
                RedirectStandardInput = !spec.Inherit,
                RedirectStandardOutput = !spec.Inherit,
                RedirectStandardError = !spec.Inherit,
            };
            if (!spec.Inherit)
            {
                startInfo.StandardInputEncoding = Utf8;
                startInfo.StandardOutputEncoding = Utf8;
                startInfo.StandardErrorEncoding = Utf8;
            }

            foreach (var argument in spec.Arguments)
            {
                startInfo.ArgumentList.Add(argument);
            }
        }

        startInfo.UseShellExecute = false;
        startInfo.WorkingDirectory = spec.WorkingDirectory ?? "";

        foreach (var (name, value) in spec.Environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        return startInfo;
    }

    private static async Task ForwardAsync(StreamReader reader, ProcessSpec spec, bool isError, CapturedLines captured, CancellationToken cancellationToken)
    {
        var deliver = Deliverer(spec, isError, captured);
        try
        {
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } rawLine)
            {
                if (!deliver(rawLine))
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The drain timeout expired or the pipe broke; what was read so far is the output.
        }
    }

    private static async Task FollowAsync(string path, Task exited, ProcessSpec spec, bool isError, CapturedLines captured, CancellationToken cancellationToken)
    {
        try
        {
            await ChildOutputFiles.FollowAsync(path, exited, Deliverer(spec, isError, captured), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The drain timeout expired; what was read so far is the output.
        }
    }

    /// <summary>One line, redacted, into the result and the callback; false once the result is closed.</summary>
    private static Func<string, bool> Deliverer(ProcessSpec spec, bool isError, CapturedLines captured)
    {
        var callback = isError ? spec.OnStandardError : spec.OnStandardOutput;
        return rawLine =>
        {
            var line = SecretRedactor.Redact(rawLine, spec.Secrets);
            if (!captured.TryAppend(line))
            {
                return false;
            }

            try
            {
                callback?.Invoke(line);
            }
            catch (Exception e)
            {
                captured.CallbackFailure ??= ExceptionDispatchInfo.Capture(e);
                callback = null;
            }

            return true;
        };
    }

    /// <summary>Where PATH finds <paramref name="fileName"/> (as is when it names a path), or null when it is no executable file.</summary>
    private static string? ResolveExecutable(string fileName)
    {
        if (fileName.Contains('/')) return IsExecutable(fileName) ? Path.GetFullPath(fileName) : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, fileName))
            .FirstOrDefault(IsExecutable);
    }

    private static bool IsExecutable(string file) =>
        File.Exists(file) && !OperatingSystem.IsWindows() && (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    private static async Task WriteStandardInputAsync(StreamWriter standardInput, string? text, CancellationToken cancellationToken)
    {
        try
        {
            if (text is not null)
            {
                await standardInput.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
                await standardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The child exited (or was killed) without reading all of its input; its exit code tells the story.
        }
        finally
        {
            try
            {
                standardInput.Close();
            }
            catch (IOException)
            {
                // Closing flushes, which fails the same way when the child has gone.
            }
        }
    }

    /// <summary>
    /// Waits for the forwarders to reach end of stream. In CI containers the pipe handles may not be closed
    /// automatically, and a grandchild that outlives the child (a daemonised helper) keeps them open, so reading
    /// stops after <see cref="StreamDrainTimeout"/> rather than hanging.
    /// </summary>
    private async Task DrainAsync(Task forwarders, List<string> notes, CancellationTokenSource stopReading)
    {
        stopReading.CancelAfter(StreamDrainTimeout);
        try
        {
            // The extra second is a backstop in case a pipe read ignores cancellation.
            await forwarders.WaitAsync(StreamDrainTimeout + TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        if (stopReading.IsCancellationRequested)
        {
            notes.Add($"output streams still open {StreamDrainTimeout.TotalSeconds:0.###}s after exit (a background process may hold them); stopped reading");
        }
    }

    private static void KillProcessTree(Process process, List<string> notes)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the wait being cancelled and the kill.
        }
        catch (Exception e) when (e is Win32Exception or AggregateException or NotSupportedException)
        {
            notes.Add($"could not kill the whole process tree of pid {process.Id}: {e.Message}");
        }
    }

    /// <summary>One stream's lines, closed once the result is built so that a late forwarder cannot change it.</summary>
    private sealed class CapturedLines
    {
        private readonly Lock _gate = new();
        private readonly StringBuilder _text = new();
        private bool _closed;

        public ExceptionDispatchInfo? CallbackFailure { get; set; }

        public bool Keep { get; init; } = true;

        public bool TryAppend(string line)
        {
            lock (_gate)
            {
                if (_closed)
                {
                    return false;
                }

                if (Keep) _text.Append(line).Append('\n');
                return true;
            }
        }

        public string Close()
        {
            lock (_gate)
            {
                _closed = true;
                return _text.ToString();
            }
        }
    }
}
