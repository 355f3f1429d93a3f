namespace Slipway.Infrastructure.Processes;

/// <summary>What a child process did. Output is already redacted. ToString prints all of it, for error messages and test failures.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError, TimeSpan Duration)
{
    public bool Succeeded => ExitCode == 0;

    public bool TimedOut { get; init; }

    /// <summary>What the runner noticed beyond the output (streams a background process kept open, a process tree it could not kill).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The last <paramref name="count"/> lines of stderr (or stdout when stderr is empty), for error summaries.</summary>
    public string Tail(int count = 20)
    {
        var text = string.IsNullOrWhiteSpace(StandardError) ? StandardOutput : StandardError;
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - count)));
    }

    public override string ToString() =>
        $"$ {CommandLine}\nexit code: {ExitCode}{(TimedOut ? " (timed out)" : "")} after {Duration.TotalSeconds:0.00}s\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}
