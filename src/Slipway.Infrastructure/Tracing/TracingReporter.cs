using Slipway.Infrastructure.Reporting;

namespace Slipway.Infrastructure.Tracing;

/// <summary>Records every step (a stage of a run, a plan, a stop) as a span of the trace.</summary>
public sealed class TracingReporter(IReporter inner, RunTrace trace) : IReporter
{
    public void Info(string message) => inner.Info(message);

    public void Warn(string message) => inner.Warn(message);

    public void Detail(string message) => inner.Detail(message);

    public Task<T> StepAsync<T>(string title, Func<Action<string>, Task<T>> work) =>
        trace.SpanAsync("step " + title, () => inner.StepAsync(title, work));
}
