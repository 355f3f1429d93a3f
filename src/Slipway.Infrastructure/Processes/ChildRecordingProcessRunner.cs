namespace Slipway.Infrastructure.Processes;

/// <summary>
/// Tells its owner each child's pid as the child starts and again when it has ended, so a run can record the children
/// it has in flight: a run killed with them alive leaves their pids (and start times) for resume to wait for. Its
/// children write their output to files (<see cref="ProcessSpec.OutliveParent"/>), so one left behind finishes cleanly.
/// The folder of those files is told with the pid, so that resume can collect what an orphan wrote and delete it.
/// </summary>
public sealed class ChildRecordingProcessRunner(IProcessRunner inner, Action<int, ProcessSpec, string?> started, Action<int> ended) : IProcessRunner
{
    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default)
    {
        var pid = 0;
        string? folder = null;
        var previous = spec.OnStarted;
        var previousFolder = spec.OnOutputFolder;
        try
        {
            return await inner.RunAsync(spec with
            {
                OutliveParent = true,
                OnOutputFolder = path =>
                {
                    folder = path;
                    previousFolder?.Invoke(path);
                },
                OnStarted = id =>
                {
                    pid = id;
                    started(id, spec, folder);
                    previous?.Invoke(id);
                },
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (pid != 0) ended(pid);
        }
    }
}
