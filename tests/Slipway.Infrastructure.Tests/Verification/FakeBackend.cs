using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Backends;

namespace Slipway.Infrastructure.Tests.Verification;

/// <summary>A backend that only answers PortAsync and StatusAsync, from scripts; verify needs nothing else.</summary>
internal sealed class FakeBackend : IDeploymentBackend
{
    private readonly Lock _gate = new();

    /// <summary>Answers for PortAsync by "service/port"; a queue is consumed one answer per call, its last answer repeats.</summary>
    public Dictionary<string, Queue<Func<string>>> Ports { get; } = new(StringComparer.Ordinal);

    public List<ServiceState> States { get; } = [];

    public List<string> PortCalls { get; } = [];

    public FakeBackend Publish(string service, int port, params Func<string>[] answers)
    {
        Ports[$"{service}/{port}"] = new Queue<Func<string>>(answers);
        return this;
    }

    public Task<string> PortAsync(string service, string port, CancellationToken cancellationToken)
    {
        Func<string> answer;
        lock (_gate)
        {
            PortCalls.Add($"{service}/{port}");
            if (!Ports.TryGetValue($"{service}/{port}", out var queue))
            {
                throw new SlipwayException(FailureReason.NotFound, $"service '{service}' has no published port {port}");
            }

            answer = queue.Count > 1 ? queue.Dequeue() : queue.Peek();
        }

        return Task.FromResult(answer());
    }

    public Task<IReadOnlyList<ServiceState>> StatusAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ServiceState>>([.. States]);

    public Task ApplyAsync(ApplyOptions options, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<StopOutcome> StopAsync(StopOptions options, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<PlannedChange>> PlanAsync(ApplyOptions options, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<string> DiagnoseAsync(int tailLines, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task LoadImagesAsync(IReadOnlyList<string> images, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<int> LogsAsync(LogsOptions options, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<int> ExecAsync(string service, IReadOnlyList<string> command, bool interactive, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<int> RunJobAsync(string job, CancellationToken cancellationToken) => throw new NotSupportedException();
}
