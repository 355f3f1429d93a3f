using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Tracing;

/// <summary>Records every child command as a span of the trace: its wall time and the CPU it (and this process meanwhile) used.</summary>
public sealed class TracingProcessRunner(IProcessRunner inner, RunTrace trace) : IProcessRunner
{
    public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default) =>
        trace.SpanAsync("child " + string.Join(' ', new[] { Path.GetFileName(spec.FileName) }.Concat(spec.Arguments.Where(a => !a.StartsWith('/')).Take(6))),
            () => inner.RunAsync(spec, cancellationToken));
}
