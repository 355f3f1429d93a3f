namespace Slipway.Infrastructure.Processes;

/// <summary>
/// The one way Slipway runs child processes. Never throws on a non-zero exit: callers decide.
/// Throws <see cref="ToolNotFoundException"/> when the executable cannot be started.
/// On cancellation or timeout the whole process tree is killed.
/// </summary>
public interface IProcessRunner
{
    Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default);
}
