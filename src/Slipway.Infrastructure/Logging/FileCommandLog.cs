using System.Globalization;
using System.Text;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Logging;

/// <summary>
/// Appends a command's log to a file, one timestamped line per event, flushed as it is written so that a killed
/// run still leaves its log behind. Redacts its own <see cref="Redact">secrets</see> and each spec's secrets in
/// every line, on top of the runner's redaction.
/// </summary>
public sealed class FileCommandLog : ICommandLog, IDisposable
{
    private const string FailureDataKey = "slipway.log";
    private const string FileNameTimestampFormat = "yyyyMMdd-HHmmss";
    private const string LineTimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    private readonly Lock _gate = new();
    private readonly StreamWriter _writer;
    private readonly TimeProvider _clock;
    private readonly List<string> _secrets;
    private bool _disposed;

    /// <summary>Opens (appending) or creates the file at <paramref name="path"/>, creating its directory.</summary>
    public FileCommandLog(string path, IEnumerable<string>? secrets = null, TimeProvider? clock = null)
        : this(Open(path, FileMode.Append), secrets, clock)
    {
    }

    private FileCommandLog(FileStream stream, IEnumerable<string>? secrets, TimeProvider? clock)
    {
        Path = stream.Name;
        _writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true, NewLine = "\n" };
        _clock = clock ?? TimeProvider.System;
        _secrets = [.. secrets ?? []];
    }

    public string Path { get; }

    /// <summary>
    /// Why the log stopped being written (the disk full), or null. A log line that cannot be written must not fail the
    /// command it describes: from the first failed write on, lines are dropped and this says so.
    /// </summary>
    public string? WriteFailure { get; private set; }

    /// <summary>Makes <paramref name="failure"/> point at this log, which holds its whole story (the CLI prints the path).</summary>
    public void Attach(Exception failure) => failure.Data[FailureDataKey] = Path;

    /// <summary>The log a failure points at, when it has one.</summary>
    public static string? Of(Exception failure) => failure.Data[FailureDataKey] as string;

    /// <summary>
    /// Creates <c>&lt;logsDirectory&gt;/&lt;yyyyMMdd-HHmmss&gt;-&lt;commandName&gt;.log</c> (UTC), adding <c>-2</c>, <c>-3</c>, …
    /// when a log of that name already exists.
    /// </summary>
    public static FileCommandLog ForCommand(string logsDirectory, string commandName, TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(logsDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(commandName);
        if (commandName.IndexOfAny(System.IO.Path.GetInvalidFileNameChars()) >= 0 || commandName.Contains('/') || commandName.Contains('\\'))
        {
            throw new ArgumentException($"'{commandName}' cannot be part of a file name.", nameof(commandName));
        }

        clock ??= TimeProvider.System;
        var stem = System.IO.Path.Combine(
            logsDirectory,
            $"{clock.GetUtcNow().UtcDateTime.ToString(FileNameTimestampFormat, CultureInfo.InvariantCulture)}-{commandName}");

        for (var attempt = 1; ; attempt++)
        {
            var candidate = attempt == 1 ? stem + ".log" : $"{stem}-{attempt}.log";
            if (File.Exists(candidate))
            {
                continue;
            }

            try
            {
                return new FileCommandLog(Open(candidate, FileMode.CreateNew), secrets: null, clock);
            }
            catch (IOException) when (File.Exists(candidate))
            {
                // Another run created the same name between the check and the open: try the next suffix.
            }
        }
    }

    /// <summary>Adds values to redact from every line written from now on (e.g. secrets resolved after the log was opened).</summary>
    public void Redact(params IEnumerable<string> secrets)
    {
        lock (_gate)
        {
            _secrets.AddRange(secrets);
        }
    }

    public void Started(ProcessSpec spec) => Write($"$ {spec.Display()}", spec.Secrets);

    public void Output(ProcessSpec spec, bool isError, string line) => Write($"  {(isError ? "err" : "out")}| {line}", spec.Secrets);

    public void Exited(ProcessSpec spec, ProcessResult result) =>
        Write(
            $"exit {result.ExitCode}{(result.TimedOut ? " (timed out)" : "")} after {result.Duration.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture)}s: {result.CommandLine}",
            spec.Secrets);

    public void Note(string message) => Write($"note: {message}", []);

    /// <summary>A line that a child of an earlier, killed process wrote to its output file, written as <see cref="Output"/> writes a live one.</summary>
    public void LeftOutput(bool isError, string line) => Write($"  {(isError ? "err" : "out")}| {line}", []);

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                _writer.Dispose();
            }
            catch (IOException ex)
            {
                // Its buffer could not be flushed (the disk full): the file is closed all the same.
                WriteFailure ??= ex.Message.TrimEnd('.');
            }
        }
    }

    private void Write(string text, IReadOnlyList<string> specSecrets)
    {
        lock (_gate)
        {
            // A forwarder still draining a stray grandchild's output may log after the command has finished.
            if (_disposed || WriteFailure is not null)
            {
                return;
            }

            var timestamp = _clock.GetUtcNow().UtcDateTime.ToString(LineTimestampFormat, CultureInfo.InvariantCulture);
            var redacted = SecretRedactor.Redact(text, _secrets.Concat(specSecrets));
            try
            {
                foreach (var line in redacted.ReplaceLineEndings("\n").Split('\n'))
                {
                    _writer.Write(timestamp);
                    _writer.Write(' ');
                    _writer.WriteLine(line);
                }
            }
            catch (IOException ex)
            {
                WriteFailure = ex.Message.TrimEnd('.');
            }
        }
    }

    private static FileStream Open(string path, FileMode mode)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            // Logs hold full child output; keep them private to the user even if redaction misses something.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(fullPath, options);
    }
}
