using Slipway.Infrastructure.Logging;
using Slipway.Infrastructure.Processes;

namespace Slipway.Cli.Console;

/// <summary>
/// <c>--verbose</c> and <c>--debug</c>: every child command (secrets redacted) and its exit on stderr;
/// <c>--debug</c> adds the child's output lines.
/// </summary>
internal sealed class ConsoleCommandLog(TextWriter error, bool withOutput) : ICommandLog
{
    private readonly Lock _gate = new();

    public void Started(ProcessSpec spec) => Write($"$ {spec.Display()}");

    public void Output(ProcessSpec spec, bool isError, string line)
    {
        if (withOutput) Write($"  {(isError ? "err" : "out")}| {line}");
    }

    public void Exited(ProcessSpec spec, ProcessResult result) =>
        Write($"  exit {result.ExitCode}{(result.TimedOut ? " (timed out)" : "")} after {result.Duration.TotalSeconds:0.00}s");

    public void Note(string message) => Write($"  {message}");

    private void Write(string line)
    {
        lock (_gate) error.WriteLine(line);
    }
}
