using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Pipeline;
using Slipway.Infrastructure.Tests.Backends.Kubernetes;

namespace Slipway.Infrastructure.Tests.Pipeline;

public sealed class HealthWaitTests
{
    private readonly FakeBackend _backend = new();

    private Task<HealthReport> WaitAsync(TimeSpan? timeout = null, params string[] services) =>
        HealthWait.WaitAsync(_backend, services, timeout ?? TimeSpan.FromSeconds(5), _ => { }, CancellationToken.None, interval: TimeSpan.FromMilliseconds(1));

    [Fact]
    public async Task Ready_containers_with_a_rollout_still_going_are_waited_for()
    {
        var polls = 0;
        _backend.OnStatus = () =>
        {
            polls++;
            return Task.CompletedTask;
        };
        _backend.States.Add(FakeBackend.Healthy("web"));
        _backend.PendingRollouts.Enqueue(["deployment/web: 0 of 1 updated replicas are available"]);

        var report = await WaitAsync();

        Assert.True(report.Healthy);
        Assert.Equal(2, polls);
    }

    [Fact]
    public async Task A_container_without_a_health_check_is_ready_only_once_it_has_stayed_up_the_settle_time()
    {
        var clock = new ManualClock();
        var started = clock.GetUtcNow();
        var polls = 0;
        _backend.States.Add(new ServiceState("worker", "p-worker-1", "0123456789ab", "running", null, []) { Condition = ServiceCondition.Ready });
        _backend.StartedAt = () => new Dictionary<string, DateTimeOffset> { ["0123456789ab"] = started };
        _backend.OnStatus = () =>
        {
            polls++;
            clock.Advance(TimeSpan.FromSeconds(1));
            return Task.CompletedTask;
        };

        var report = await HealthWait.WaitAsync(_backend, [], TimeSpan.FromMinutes(1), _ => { }, CancellationToken.None, clock, TimeSpan.FromMilliseconds(1),
            TimeSpan.FromSeconds(3));

        Assert.True(report.Healthy);
        Assert.Equal(3, polls); // up 1 s and 2 s: not yet; 3 s: ready
    }

    [Fact]
    public async Task A_container_without_a_health_check_that_keeps_restarting_is_never_called_healthy()
    {
        var clock = new ManualClock();
        _backend.States.Add(new ServiceState("worker", "p-worker-1", "0123456789ab", "running", null, []) { Condition = ServiceCondition.Ready });
        _backend.StartedAt = () => new Dictionary<string, DateTimeOffset> { ["0123456789ab"] = clock.GetUtcNow() - TimeSpan.FromMilliseconds(500) };
        _backend.OnStatus = () =>
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            return Task.CompletedTask;
        };

        var report = await HealthWait.WaitAsync(_backend, [], TimeSpan.FromSeconds(10), _ => { }, CancellationToken.None, clock, TimeSpan.FromMilliseconds(1),
            TimeSpan.FromSeconds(2));

        Assert.False(report.Healthy);
        Assert.True(report.TimedOut);
        Assert.Equal("not healthy after 10s: worker (just started, no health check: up 2s first)", report.Lines[0]);
    }

    [Fact]
    public async Task A_rollout_that_never_finishes_is_named_when_the_wait_runs_out()
    {
        _backend.States.Add(FakeBackend.Healthy("web"));
        for (var i = 0; i < 1000; i++) _backend.PendingRollouts.Enqueue(["deployment/web: 1 old replicas are pending termination"]);

        var report = await WaitAsync(TimeSpan.FromMilliseconds(100));

        Assert.False(report.Healthy);
        Assert.True(report.TimedOut);
        Assert.Equal("not healthy after 0s: deployment/web: 1 old replicas are pending termination", report.Lines[0]);
    }

    [Fact]
    public async Task A_container_the_backend_judges_failed_fails_at_once_and_says_how()
    {
        _backend.States.AddRange([FakeBackend.Healthy("web"), new ServiceState("db", "p-db-1", "0123456789ab", "exited", null, []) { Condition = ServiceCondition.Failed }]);

        var report = await WaitAsync(TimeSpan.FromMinutes(5));

        Assert.False(report.Healthy);
        Assert.False(report.TimedOut);
        Assert.Equal("not healthy: db (exited)", report.Lines[0]);
    }

    [Fact]
    public async Task Only_the_asked_services_count_but_every_container_is_reported()
    {
        _backend.States.AddRange([FakeBackend.Healthy("web"), FakeBackend.Starting("worker")]);

        var report = await WaitAsync(TimeSpan.FromMinutes(5), "web");

        Assert.True(report.Healthy);
        Assert.Equal(2, report.Services.Count);
    }
}
