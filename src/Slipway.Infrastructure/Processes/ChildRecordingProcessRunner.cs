namespace Slipway.Infrastructure.Processes;

/// <summary>
/// Tells its owner each child's pid as the child starts and again when it has ended, so a run can record the children
/// it has in flight: a run killed with them alive leaves their pids (and start times) for resume to wait for. Its
/// children write their output to files (<see cref="ProcessSpec.OutliveParent"/>), so one left behind finishes cleanly.
/// </summary>
public sealed class ChildRecordingProcessRunner(IProcessRunner inner, Action<int, ProcessSpec> started, Action<int> ended) : IProcessRunner
{
    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default)
    {
        var pid = 0;
        var previous = spec.OnStarted;
        try
        {
            return await inner.RunAsync(spec with
            {
                OutliveParent = true,
                OnStarted = id =>
                {
                    pid = id;
                    started(id, spec);
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
