using System.Diagnostics;
using System.Text;

namespace Slipway.Infrastructure.Processes;

/// <summary>
/// A child's stdout and stderr as two files in a private temporary folder (0700) instead of pipes, followed while the
/// child runs. A child whose output is a pipe dies of EPIPE/SIGPIPE at its next line once Slipway is killed, which for
/// <c>docker compose up</c> means half a recreate (the new container under its temporary name, the old one stopped);
/// with files it finishes its work, and resume waits for it.
/// </summary>
internal sealed class ChildOutputFiles : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly DirectoryInfo _folder;

    private ChildOutputFiles(DirectoryInfo folder)
    {
        _folder = folder;
        StandardOutput = Path.Combine(folder.FullName, "stdout");
        StandardError = Path.Combine(folder.FullName, "stderr");
        File.WriteAllBytes(StandardOutput, []);
        File.WriteAllBytes(StandardError, []);
    }

    public string StandardOutput { get; }

    public string StandardError { get; }

    /// <summary>The files, or null (with a note) when they cannot be made: the child then gets pipes, as any other.</summary>
    public static ChildOutputFiles? TryCreate(List<string> notes)
    {
        if (OperatingSystem.IsWindows()) return null; // no /bin/sh to open the files
        DirectoryInfo? folder = null;
        try
        {
            folder = Directory.CreateTempSubdirectory("slipway-child-");
            File.SetUnixFileMode(folder.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); // before any output is in it
            return new ChildOutputFiles(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            notes.Add($"could not make output files for the child ({e.Message}); its output is a pipe, so it would not outlive a killed slipway");
            TryDelete(folder);
            return null;
        }
    }

    /// <summary>
    /// The start of a child whose stdout and stderr are the files: <c>/bin/sh</c> opens them and execs the program in
    /// its own place (same pid), with the arguments passed through untouched, never parsed by the shell.
    /// </summary>
    public ProcessStartInfo StartInfo(string executable, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("/bin/sh");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("out=$1 err=$2; shift 2; exec \"$@\" >>\"$out\" 2>>\"$err\"");
        start.ArgumentList.Add("slipway-child");
        start.ArgumentList.Add(StandardOutput);
        start.ArgumentList.Add(StandardError);
        start.ArgumentList.Add(executable);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return start;
    }

    /// <summary>
    /// Reads <paramref name="path"/> as it grows and hands on each line (ended by \n, \r\n or \r, as a pipe reader
    /// would split them) until <paramref name="exited"/> completes and what the child wrote has been read.
    /// </summary>
    public static async Task FollowAsync(string path, Task exited, Func<string, bool> deliver, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, useAsync: false);
        var splitter = new LineSplitter();
        var buffer = new byte[64 * 1024];
        var lines = new List<string>();
        while (true)
        {
            var done = exited.IsCompleted; // read before the last read, so nothing written before the exit is missed
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                splitter.Push(buffer.AsSpan(0, read), lines);
                foreach (var line in lines)
                {
                    if (!deliver(line)) return;
                }

                lines.Clear();
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (done) break;
            await Task.WhenAny(exited, Task.Delay(PollInterval, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }

        if (splitter.Rest() is { } last) deliver(last);
    }

    public void Dispose() => TryDelete(_folder);

    private static void TryDelete(DirectoryInfo? folder)
    {
        try
        {
            folder?.Delete(recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A temporary folder left behind is harmless.
        }
    }

    /// <summary>Bytes to lines; a line is decoded only when whole, so a UTF-8 character split between two reads stays whole.</summary>
    internal sealed class LineSplitter
    {
        private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
        private readonly MemoryStream _pending = new();
        private bool _afterCarriageReturn;

        public void Push(ReadOnlySpan<byte> chunk, List<string> lines)
        {
            while (!chunk.IsEmpty)
            {
                if (_afterCarriageReturn)
                {
                    _afterCarriageReturn = false;
                    if (chunk[0] == (byte)'\n')
                    {
                        chunk = chunk[1..];
                        continue;
                    }
                }

                var end = chunk.IndexOfAny((byte)'\n', (byte)'\r');
                if (end < 0)
                {
                    _pending.Write(chunk);
                    return;
                }

                _pending.Write(chunk[..end]);
                lines.Add(Utf8.GetString(_pending.GetBuffer(), 0, (int)_pending.Length));
                _pending.SetLength(0);
                _afterCarriageReturn = chunk[end] == (byte)'\r';
                chunk = chunk[(end + 1)..];
            }
        }

        /// <summary>A last line without its line end, if any.</summary>
        public string? Rest() => _pending.Length == 0 ? null : Utf8.GetString(_pending.GetBuffer(), 0, (int)_pending.Length);
    }
}
