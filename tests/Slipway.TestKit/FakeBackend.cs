using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Deployments;

namespace Slipway.TestKit;

/// <summary>
/// A scripted backend: records applies and image loads, answers status from a queue (its last answer repeats, then
/// <see cref="States"/>), and ports from per-port scripts. <see cref="For"/> binds it to the session a run opened, whose
/// compose files give <see cref="ServiceImages"/>.
/// </summary>
public sealed class FakeBackend : IDeploymentBackend, IContainerAddresses, IPrepareCheckingBackend, IContainerStartTimes, IHostNameProbingBackend
{
    private readonly Lock _gate = new();
    private IReadOnlyList<ServiceState>? _last;
    private DeploymentSession? _session;

    public List<ApplyOptions> Applies { get; } = [];

    /// <summary>Every host name restart asked to probe, as "new (was old)".</summary>
    public List<string> HostNameProbes { get; } = [];

    /// <summary>Runs in each probe (e.g. to refuse it by throwing).</summary>
    public Func<string, Task>? OnProbeHostName { get; set; }

    public Task ProbeHostNameAsync(string host, string? previous, Action<string>? progress, CancellationToken cancellationToken)
    {
        HostNameProbes.Add($"{host} (was {previous ?? "none"})");
        return OnProbeHostName?.Invoke(host) ?? Task.CompletedTask;
    }

    /// <summary>What the prepare stage's backend check answers.</summary>
    public List<string> PrepareWarnings { get; } = [];

    public Task<IReadOnlyList<string>> PrepareWarningsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([.. PrepareWarnings]);

    /// <summary>Runs inside every apply with its 1-based number (e.g. to look at run.json while the stage runs, or to fail).</summary>
    public Func<int, Task>? OnApply { get; set; }

    /// <summary>Answers of StatusAsync, one per call; the last one repeats.</summary>
    public Queue<IReadOnlyList<ServiceState>> Statuses { get; } = new();

    /// <summary>What StatusAsync answers once <see cref="Statuses"/> has never had anything.</summary>
    public List<ServiceState> States { get; } = [];

    /// <summary>Unfinished rollouts HealthAsync reports, one answer per call (then none).</summary>
    public Queue<IReadOnlyList<string>> PendingRollouts { get; } = new();

    public Func<Task>? OnStatus { get; set; }

    public string Diagnosis { get; set; } = "web: unhealthy";

    public List<IReadOnlyList<string>> Loaded { get; } = [];

    /// <summary>Answers for PortAsync by "service/port"; a queue is consumed one answer per call, its last answer repeats.</summary>
    public Dictionary<string, Queue<Func<string>>> Ports { get; } = new(StringComparer.Ordinal);

    public List<string> PortCalls { get; } = [];

    /// <summary>When containers last started, by id (an id not listed is gone); null: every one started long ago.</summary>
    public Func<IReadOnlyDictionary<string, DateTimeOffset>>? StartedAt { get; set; }

    public Task<IReadOnlyDictionary<string, DateTimeOffset>> StartedAtAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
        Task.FromResult(StartedAt?.Invoke() ?? ids.Distinct().ToDictionary(id => id, _ => DateTimeOffset.MinValue));

    public static ServiceState Healthy(string service) =>
        new(service, $"p-{service}-1", "0123456789ab", "running", "healthy", []) { Condition = ServiceCondition.Ready };

    public static ServiceState Unhealthy(string service) =>
        new(service, $"p-{service}-1", "0123456789ab", "running", "unhealthy", []) { Condition = ServiceCondition.Failed };

    public static ServiceState Starting(string service) =>
        new(service, $"p-{service}-1", "0123456789ab", "running", "starting", []) { Condition = ServiceCondition.Starting };

    public static SlipwayException ApplyFailure() => new(FailureReason.DeploymentFailed, "docker compose start failed (exit code 1)");

    /// <summary>This backend, for <paramref name="session"/> (a pipeline makes its backend again after every reload of D).</summary>
    public FakeBackend For(DeploymentSession session)
    {
        _session = session;
        return this;
    }

    /// <summary>The containers' own addresses per service (<see cref="IContainerAddresses"/>); none unless set.</summary>
    public Dictionary<string, IReadOnlyList<string>> ContainerAddresses { get; } = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<string>> ContainerAddressesAsync(string service, CancellationToken cancellationToken) =>
        Task.FromResult(ContainerAddresses.GetValueOrDefault(service) ?? []);

    public FakeBackend Publish(string service, int port, params Func<string>[] answers)
    {
        Ports[$"{service}/{port}"] = new Queue<Func<string>>(answers);
        return this;
    }

    public IReadOnlyDictionary<string, string> ServiceImages => _session?.ServiceImages ?? new Dictionary<string, string>();

    public IReadOnlyList<string> PinKeys(string stackImage) => [stackImage];

    public async Task ApplyAsync(ApplyOptions options, CancellationToken cancellationToken)
    {
        Applies.Add(options);
        if (OnApply is not null) await OnApply(Applies.Count);
    }

    public async Task<IReadOnlyList<ServiceState>> StatusAsync(CancellationToken cancellationToken)
    {
        if (OnStatus is not null) await OnStatus();
        lock (_gate)
        {
            if (Statuses.Count > 0) _last = Statuses.Dequeue();
            return _last ?? [.. States];
        }
    }

    public async Task<HealthSnapshot> HealthAsync(CancellationToken cancellationToken)
    {
        var services = await StatusAsync(cancellationToken);
        return new HealthSnapshot(services, PendingRollouts.Count > 0 ? PendingRollouts.Dequeue() : [], []);
    }

    public Task<string> DiagnoseAsync(int tailLines, CancellationToken cancellationToken) => Task.FromResult(Diagnosis);

    public Task LoadImagesAsync(IReadOnlyList<string> images, CancellationToken cancellationToken)
    {
        Loaded.Add(images);
        return Task.CompletedTask;
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

    public Task<StopOutcome> StopAsync(StopOptions options, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<PlannedChange>> PlanAsync(ApplyOptions options, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<int> LogsAsync(LogsOptions options, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<int> ExecAsync(string service, IReadOnlyList<string> command, bool interactive, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<int> RunJobAsync(string job, CancellationToken cancellationToken) => throw new NotSupportedException();
}
