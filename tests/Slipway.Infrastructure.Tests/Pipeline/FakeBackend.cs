using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Backends;

namespace Slipway.Infrastructure.Tests.Pipeline;

/// <summary>A scripted backend: records applies, answers status from a queue (the last answer repeats).</summary>
internal sealed class FakeBackend : IDeploymentBackend
{
    public List<ApplyOptions> Applies { get; } = [];

    /// <summary>Runs inside every apply (e.g. to look at run.json while the stage runs, or to fail).</summary>
    public Func<int, Task>? OnApply { get; set; }

    public Queue<IReadOnlyList<ServiceState>> Statuses { get; } = new();

    private IReadOnlyList<ServiceState> _last = [Healthy("web")];

    public Func<Task>? OnStatus { get; set; }

    public string Diagnosis { get; set; } = "web: unhealthy";

    public List<IReadOnlyList<string>> Loaded { get; } = [];

    public static ServiceState Healthy(string service) => new(service, $"p-{service}-1", "0123456789ab", "running", "healthy", []);

    public static ServiceState Unhealthy(string service) => new(service, $"p-{service}-1", "0123456789ab", "running", "unhealthy", []);

    public async Task ApplyAsync(ApplyOptions options, CancellationToken cancellationToken)
    {
        Applies.Add(options);
        if (OnApply is not null) await OnApply(Applies.Count);
    }

    public async Task<IReadOnlyList<ServiceState>> StatusAsync(CancellationToken cancellationToken)
    {
        if (OnStatus is not null) await OnStatus();
        if (Statuses.Count > 0) _last = Statuses.Dequeue();
        return _last;
    }

    public Task<string> DiagnoseAsync(int tailLines, CancellationToken cancellationToken) => Task.FromResult(Diagnosis);

    public Task LoadImagesAsync(IReadOnlyList<string> images, CancellationToken cancellationToken)
    {
        Loaded.Add(images);
        return Task.CompletedTask;
    }

    public Task<StopOutcome> StopAsync(StopOptions options, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<PlannedChange>> PlanAsync(ApplyOptions options, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<int> LogsAsync(LogsOptions options, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<string> PortAsync(string service, string port, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<int> ExecAsync(string service, IReadOnlyList<string> command, bool interactive, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<int> RunJobAsync(string job, CancellationToken cancellationToken) => throw new NotSupportedException();

    public static SlipwayException ApplyFailure() => new(FailureReason.DeploymentFailed, "docker compose start failed (exit code 1)");
}
