namespace Slipway.Infrastructure.Processes;

/// <summary>
/// One child process to run: an executable and an argument list (never a shell string).
/// <see cref="Secrets"/> are values replaced by <c>[REDACTED]</c> wherever the command line or output is logged.
/// </summary>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    public string? WorkingDirectory { get; init; }

    /// <summary>Extra environment variables for the child (a null value removes the variable).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Text written to the child's standard input, then closed. Null closes stdin at once.</summary>
    public string? StandardInput { get; init; }

    public TimeSpan? Timeout { get; init; }

    /// <summary>Values never to appear in logs, command lines shown to users, or error messages.</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];

    /// <summary>Called with each line of stdout as it arrives (already redacted).</summary>
    public Action<string>? OnStandardOutput { get; init; }

    /// <summary>Called with each line of stderr as it arrives (already redacted).</summary>
    public Action<string>? OnStandardError { get; init; }

    /// <summary>Called with the child's pid as soon as it has started (before any output).</summary>
    public Action<int>? OnStarted { get; init; }

    /// <summary>
    /// With <see cref="OutliveParent"/>: called, before the child starts, with the folder its output files are in (deleted
    /// when the child has ended and its output is read; left behind when Slipway is killed meanwhile).
    /// </summary>
    public Action<string>? OnOutputFolder { get; init; }

    /// <summary>False: lines go only to the callbacks and the result's output is empty (a followed log may run for days).</summary>
    public bool CaptureOutput { get; init; } = true;

    /// <summary>
    /// True: stdout and stderr are files, not pipes, so the child finishes its work even if Slipway is killed while it
    /// runs (a run's children: resume waits for them). Ignored with <see cref="Inherit"/>.
    /// </summary>
    public bool OutliveParent { get; init; }

    /// <summary>When true the child inherits this process's console (for interactive exec / logs -f); output is not captured.</summary>
    public bool Inherit { get; init; }

    /// <summary>The command line as it may be shown or logged: quoted where needed, secrets redacted.</summary>
    public string Display() =>
        SecretRedactor.Redact(
            string.Join(' ', new[] { FileName }.Concat(Arguments).Select(Quote)),
            Secrets);

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./:=,@+%".Contains(c))
            ? arg
            : "'" + arg.Replace("'", "'\\''") + "'";
}
