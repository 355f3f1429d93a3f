namespace Slipway.Infrastructure.Processes;

/// <summary>
/// The global <c>--dry-run</c>: no child process runs; each one is told ("Dry run: would run …") and answers as a
/// success with no output. Only commands that make sense without their children's answers accept it.
/// </summary>
public sealed class DryRunProcessRunner(Action<string> tell) : IProcessRunner
{
    public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var line = spec.Display();
        tell($"Dry run: would run: {line}{(spec.WorkingDirectory is { } cwd ? $"  (in {cwd})" : "")}");
        return Task.FromResult(new ProcessResult(line, 0, "", "", TimeSpan.Zero));
    }
}
