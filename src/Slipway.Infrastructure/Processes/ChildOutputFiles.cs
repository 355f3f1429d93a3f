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

    /// <summary>The private folder holding both files.</summary>
    public string Folder => _folder.FullName;

    /// <summary>What the name of every such folder starts with (in the temporary folder).</summary>
    private const string Prefix = "slipway-child-";

    /// <summary>Bytes of each file <see cref="Collect"/> hands on at most: the end of the file, where a failure is.</summary>
    internal const int MaxCollected = 1024 * 1024;

    /// <summary>The files, or null (with a note) when they cannot be made: the child then gets pipes, as any other.</summary>
    public static ChildOutputFiles? TryCreate(List<string> notes)
    {
        if (OperatingSystem.IsWindows()) return null; // no /bin/sh to open the files
        DirectoryInfo? folder = null;
        try
        {
            folder = Directory.CreateTempSubdirectory(Prefix);
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

    /// <summary>
    /// What a child left in its folder when the Slipway that ran it died (<paramref name="folder"/> as its run recorded
    /// it): each line of stdout, then of stderr, handed on (with isError), then the folder is deleted. Only a folder
    /// such as <see cref="TryCreate"/> makes is touched (a real folder named slipway-child-* in this process's temporary
    /// folder, holding nothing but the two files): the path comes from run.json, which a hand may have edited. Returns
    /// null when it was collected and deleted (or is gone already), else why it was left alone.
    /// </summary>
    public static string? Collect(string folder, Action<bool, string> deliver)
    {
        var info = new DirectoryInfo(folder);
        var temp = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.GetTempPath()));
        if (!info.Name.StartsWith(Prefix, StringComparison.Ordinal) || info.Parent?.FullName != temp || !Path.IsPathRooted(folder))
        {
            return $"{folder} is not a child output folder of this host's temporary folder {temp}; left alone";
        }

        if (!info.Exists) return null;
        if (info.LinkTarget is not null) return $"{folder} is a symbolic link; left alone";
        try
        {
            var files = info.GetFileSystemInfos();
            if (files.Any(f => f.Name is not ("stdout" or "stderr") || f.LinkTarget is not null || f is not FileInfo))
            {
                return $"{folder} holds more than a child's two output files; left alone";
            }

            foreach (var (name, isError) in new[] { ("stdout", false), ("stderr", true) })
            {
                var path = Path.Combine(info.FullName, name);
                if (!File.Exists(path)) continue;
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
                if (stream.Length > MaxCollected)
                {
                    deliver(isError, $"[{stream.Length - MaxCollected} bytes before the last {MaxCollected} left out]");
                    stream.Seek(-MaxCollected, SeekOrigin.End);
                }

                var splitter = new LineSplitter();
                var lines = new List<string>();
                var buffer = new byte[64 * 1024];
                int read;
                while ((read = stream.Read(buffer, 0, buffer.Length)) > 0) splitter.Push(buffer.AsSpan(0, read), lines);
                if (splitter.Rest() is { } rest) lines.Add(rest);
                foreach (var line in lines) deliver(isError, line);
            }

            foreach (var file in files) file.Delete();
            info.Delete();
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{folder} could not be read or deleted: {e.Message}";
        }
    }

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
