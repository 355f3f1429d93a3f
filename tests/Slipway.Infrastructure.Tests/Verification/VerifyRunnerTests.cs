using System.Diagnostics;
using Slipway.Core.Diagnostics;
using Slipway.Core.Verification;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Verification;

namespace Slipway.Infrastructure.Tests.Verification;

public sealed class VerifyRunnerTests
{
    private readonly FakeBackend _backend = new();
    private readonly ScriptedProbe _probe = new();
    private readonly List<string> _progress = [];

    private VerifyRunner Runner(IReadOnlyList<string>? secrets = null) =>
        new(_probe) { RetryInterval = TimeSpan.FromMilliseconds(20), Secrets = secrets ?? [] };

    private Task<VerifyReport> RunAsync(params VerifyCheck[] checks) => Runner().RunAsync(checks, _backend, _progress.Add, CancellationToken.None);

    [Fact]
    public async Task A_passing_http_check_probes_the_published_address_once_and_reports_it()
    {
        _backend.Publish("web", 80, () => "0.0.0.0:32768");
        _probe.Http.Enqueue(ProbeOutcome.Ok("answered 200 OK"));

        var report = await RunAsync(VerifyCheck.Http("web", "/health", 80));

        var result = Assert.Single(report.Results);
        Assert.True(report.Passed);
        Assert.Equal((true, "GET http://127.0.0.1:32768/health", 1, "answered 200 OK"), (result.Passed, result.Target, result.Attempts, result.Detail));
        Assert.Equal(["http://127.0.0.1:32768/health 200"], _probe.Calls);
        report.ThrowIfFailed();
    }

    [Fact]
    public async Task A_check_is_retried_until_it_passes()
    {
        _backend.Publish("web", 80, () => "127.0.0.1:40000");
        _probe.Http.Enqueue(ProbeOutcome.Failed("connection refused"));
        _probe.Http.Enqueue(ProbeOutcome.Failed("answered 503 Service Unavailable, expected 200"));
        _probe.Http.Enqueue(ProbeOutcome.Ok("answered 200 OK"));

        var report = await RunAsync(VerifyCheck.Http("web", "/", 80, timeout: TimeSpan.FromSeconds(10)));

        Assert.True(report.Passed);
        Assert.Equal(3, report.Results[0].Attempts);
        Assert.Contains("verify web: GET http://127.0.0.1:40000/ connection refused; retrying", _progress);
        Assert.Contains("verify web: GET http://127.0.0.1:40000/ answered 503 Service Unavailable, expected 200; retrying", _progress);
    }

    [Fact]
    public async Task A_check_that_never_passes_fails_within_its_timeout_with_the_last_error()
    {
        _backend.Publish("web", 80, () => "127.0.0.1:40000");
        _probe.HttpDefault = ProbeOutcome.Failed("answered 404 Not Found, expected 200: no such page");
        var timeout = TimeSpan.FromMilliseconds(400);
        var clock = Stopwatch.StartNew();

        var report = await RunAsync(VerifyCheck.Http("web", "/missing", 80, timeout: timeout));

        clock.Stop();
        var result = Assert.Single(report.Failures);
        Assert.False(report.Passed);
        Assert.InRange(clock.Elapsed, timeout - TimeSpan.FromMilliseconds(50), timeout + TimeSpan.FromSeconds(1));
        Assert.True(result.Attempts > 1, $"expected retries, got {result.Attempts} attempt(s)");
        Assert.Equal("answered 404 Not Found, expected 200: no such page; gave up after 400ms", result.Detail);
        Assert.Equal("GET http://127.0.0.1:40000/missing", result.Target);
        var error = Assert.Throws<SlipwayException>(report.ThrowIfFailed);
        Assert.Equal(FailureReason.VerifyTimeout, error.Reason);
        Assert.StartsWith("verify: 1 of 1 check failed\n  FAILED  web: GET /missing on port 80 answers 200 (within 400ms)\n      GET http://127.0.0.1:40000/missing: answered 404", error.Message);
    }

    [Fact]
    public async Task A_port_not_published_yet_is_asked_again()
    {
        _backend.Publish("db", 5432,
            () => throw new SlipwayException(FailureReason.NotFound, "service 'db' has no published port 5432"),
            () => "127.0.0.1:40001");
        _probe.Tcp.Enqueue(ProbeOutcome.Ok("accepted a connection"));

        var report = await RunAsync(VerifyCheck.Tcp("db", 5432, TimeSpan.FromSeconds(10)));

        Assert.True(report.Passed);
        Assert.Equal(["db/5432", "db/5432"], _backend.PortCalls);
        Assert.Equal(["tcp 127.0.0.1:40001"], _probe.Calls);
        Assert.Equal("TCP 127.0.0.1:40001", report.Results[0].Target);
    }

    [Fact]
    public async Task A_port_that_is_never_published_fails_with_the_backends_message()
    {
        var report = await RunAsync(VerifyCheck.Tcp("db", 5433, TimeSpan.FromMilliseconds(200)));

        var result = Assert.Single(report.Failures);
        Assert.Null(result.Target);
        Assert.Equal("service 'db' has no published port 5433; gave up after 200ms", result.Detail);
        Assert.Empty(_probe.Calls);
    }

    [Fact]
    public async Task An_http_check_without_a_port_probes_the_one_port_the_service_publishes()
    {
        _backend.States.Add(new ServiceState("web", "web-1", "id1", "running", "healthy", [new PublishedPort("127.0.0.1", 32770, 8080, "tcp")]));
        _backend.States.Add(new ServiceState("db", "db-1", "id2", "running", null, [new PublishedPort("127.0.0.1", 32771, 5432, "tcp")]));
        _backend.Publish("web", 8080, () => "127.0.0.1:32770");
        _probe.Http.Enqueue(ProbeOutcome.Ok("answered 200 OK"));

        var report = await RunAsync(VerifyCheck.Http("web", "/"));

        Assert.True(report.Passed);
        Assert.Equal(["web/8080"], _backend.PortCalls);
    }

    [Fact]
    public async Task A_check_never_outlives_what_is_left_of_the_runs_wait_and_says_it_was_cut()
    {
        _backend.Publish("web", 80, () => "127.0.0.1:40000");
        _probe.HttpDefault = ProbeOutcome.Failed("connection refused");
        var clock = Stopwatch.StartNew();

        var report = await Runner().RunAsync([VerifyCheck.Http("web", "/", 80, timeout: TimeSpan.FromSeconds(30))], _backend, null, CancellationToken.None,
            budget: TimeSpan.FromMilliseconds(300));

        clock.Stop();
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        var result = Assert.Single(report.Failures);
        Assert.Equal(CheckOutcome.GaveUp, result.Outcome);
        Assert.Equal("connection refused; gave up after 300ms (the run's wait left only 300ms of the check's 30s)", result.Detail);
        Assert.Equal(FailureReason.VerifyTimeout, Assert.Throws<SlipwayException>(report.ThrowIfFailed).Reason);
    }

    [Fact]
    public async Task A_check_that_cannot_be_probed_as_written_is_invalid_input_not_a_timeout()
    {
        _backend.States.Add(new ServiceState("web", "web-1", "id1", "running", "healthy",
            [new PublishedPort("127.0.0.1", 32770, 8080, "tcp"), new PublishedPort("127.0.0.1", 32771, 8443, "tcp")]));

        var report = await RunAsync(VerifyCheck.Http("web", "/", timeout: TimeSpan.FromSeconds(30)));

        Assert.Equal(CheckOutcome.Unresolvable, Assert.Single(report.Failures).Outcome);
        Assert.Equal(FailureReason.InvalidInput, Assert.Throws<SlipwayException>(report.ThrowIfFailed).Reason);
    }

    [Fact]
    public async Task An_http_check_without_a_port_on_a_service_with_several_ports_fails_at_once()
    {
        _backend.States.Add(new ServiceState("web", "web-1", "id1", "running", "healthy",
            [new PublishedPort("127.0.0.1", 32770, 8080, "tcp"), new PublishedPort("127.0.0.1", 32771, 8443, "tcp")]));

        var report = await RunAsync(VerifyCheck.Http("web", "/", timeout: TimeSpan.FromSeconds(30)));

        var result = Assert.Single(report.Failures);
        Assert.Equal(1, result.Attempts);
        Assert.Equal("service 'web' publishes ports 8080, 8443: give the check a 'port' (the container port to probe)", result.Detail);
    }

    [Fact]
    public async Task Secret_values_are_redacted_from_details()
    {
        const string Secret = "hunter2-very-secret";
        _backend.Publish("web", 80, () => "127.0.0.1:40000");
        _probe.HttpDefault = ProbeOutcome.Failed($"answered 500 Internal Server Error, expected 200: db login {Secret} refused");

        var report = await Runner([Secret]).RunAsync([VerifyCheck.Http("web", "/", 80, timeout: TimeSpan.FromMilliseconds(100))], _backend, _progress.Add, CancellationToken.None);

        Assert.DoesNotContain(Secret, report.Summary(), StringComparison.Ordinal);
        Assert.Contains("db login [REDACTED] refused", report.Summary(), StringComparison.Ordinal);
        Assert.DoesNotContain(_progress, line => line.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Checks_run_side_by_side_so_verify_takes_as_long_as_the_slowest()
    {
        // Each probe answers only once all three checks are probing at the same time: checks run one after the
        // other would leave the first alone at the rendezvous until it gives up, and fail. No wall-clock bound.
        _backend.Publish("a", 80, () => "127.0.0.1:40000").Publish("b", 80, () => "127.0.0.1:40001").Publish("c", 80, () => "127.0.0.1:40002");
        var rendezvous = new RendezvousProbe(3, TimeSpan.FromSeconds(10));

        var report = await new VerifyRunner(rendezvous) { RetryInterval = TimeSpan.FromMilliseconds(20) }.RunAsync(
            [
                VerifyCheck.Http("a", "/", 80, timeout: TimeSpan.FromSeconds(20)),
                VerifyCheck.Http("b", "/", 80, timeout: TimeSpan.FromSeconds(20)),
                VerifyCheck.Http("c", "/", 80, timeout: TimeSpan.FromSeconds(20)),
            ],
            _backend,
            _progress.Add,
            CancellationToken.None);

        Assert.True(report.Passed, report.Summary());
        Assert.All(report.Results, r => Assert.Equal((1, "all 3 probing at once"), (r.Attempts, r.Detail)));
        Assert.Equal(["a", "b", "c"], report.Results.Select(r => r.Check.Service));
    }

    [Fact]
    public async Task No_checks_pass_trivially_and_say_so()
    {
        var report = await RunAsync();

        Assert.True(report.Passed);
        Assert.Equal("verify: no checks in the spec", report.Summary());
    }

    [Theory]
    [InlineData("0.0.0.0:32768", "127.0.0.1", 32768)]
    [InlineData("127.0.0.1:80", "127.0.0.1", 80)]
    [InlineData("[::]:8080", "127.0.0.1", 8080)]
    [InlineData(":::8080", "127.0.0.1", 8080)]
    [InlineData("[::1]:8080", "::1", 8080)]
    [InlineData("10.0.0.5:30080\n", "10.0.0.5", 30080)]
    public void Addresses_are_split_and_wildcards_mean_this_machine(string address, string host, int port)
    {
        Assert.Equal((host, port), VerifyRunner.HostAndPort(address));
    }

    [Theory]
    [InlineData("port-forward")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:http")]
    public async Task An_address_that_is_not_host_and_port_fails_the_check_at_once(string address)
    {
        _backend.Publish("web", 80, () => address);

        var report = await RunAsync(VerifyCheck.Http("web", "/", 80, timeout: TimeSpan.FromSeconds(30)));

        var result = Assert.Single(report.Failures);
        Assert.Equal(1, result.Attempts);
        Assert.Contains("not HOST:PORT", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tcp_check_the_port_proxy_accepts_fails_when_the_container_itself_refuses_the_port()
    {
        _backend.Publish("web", 81, () => "127.0.0.1:40081");
        _backend.ContainerAddresses["web"] = ["172.18.0.5"];
        // The proxy accepts and has not hung up yet (a loaded machine); the container refuses at once.
        _probe.Tcp.Enqueue(ProbeOutcome.Ok("accepted a connection"));
        _probe.Tcp.Enqueue(ProbeOutcome.Failed("connection refused") with { Refused = true });

        var report = await RunAsync(VerifyCheck.Tcp("web", 81, timeout: TimeSpan.FromMilliseconds(100)));

        var result = Assert.Single(report.Failures);
        Assert.StartsWith("tcp 127.0.0.1:40081", _probe.Calls[0], StringComparison.Ordinal);
        Assert.Equal("tcp 172.18.0.5:81", _probe.Calls[1]);
        Assert.Contains("nothing listens on port 81 in the container (172.18.0.5:81 refused it)", _progress.Single(p => p.Contains("in the container", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.False(result.Passed);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_tcp_check_passes_when_the_container_accepts_or_cannot_be_reached_from_here(bool reachable)
    {
        _backend.Publish("db", 5432, () => "127.0.0.1:45432");
        _backend.ContainerAddresses["db"] = ["10.0.0.9"];
        _probe.Tcp.Enqueue(ProbeOutcome.Ok("accepted a connection"));
        _probe.Tcp.Enqueue(reachable ? ProbeOutcome.Ok("accepted a connection") : ProbeOutcome.Failed("host unreachable"));

        var report = await RunAsync(VerifyCheck.Tcp("db", 5432));

        Assert.True(report.Passed, report.Summary());
        Assert.Equal(["tcp 127.0.0.1:45432", "tcp 10.0.0.9:5432"], _probe.Calls);
    }

    /// <summary>Holds each HTTP probe until <c>count</c> different URLs are being probed at once, then lets all pass; a probe still waiting after <c>wait</c> fails.</summary>
    private sealed class RendezvousProbe(int count, TimeSpan wait) : IProbe
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly System.Collections.Concurrent.ConcurrentDictionary<Uri, bool> _arrived = new();

        public async Task<ProbeOutcome> HttpGetAsync(Uri url, int expectStatus, TimeSpan timeout, CancellationToken cancellationToken)
        {
            _arrived.TryAdd(url, true);
            if (_arrived.Count >= count) _all.TrySetResult();
            try
            {
                await _all.Task.WaitAsync(wait, cancellationToken);
                return ProbeOutcome.Ok($"all {count} probing at once");
            }
            catch (TimeoutException)
            {
                return ProbeOutcome.Failed($"only {_arrived.Count} of {count} checks had probed after {wait}");
            }
        }

        public Task<ProbeOutcome> TcpConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken) =>
            Task.FromResult(ProbeOutcome.Failed("no TCP checks here"));
    }

    private sealed class ScriptedProbe : IProbe
    {
        private readonly Lock _gate = new();

        public Queue<ProbeOutcome> Http { get; } = new();

        public Queue<ProbeOutcome> Tcp { get; } = new();

        public ProbeOutcome HttpDefault { get; set; } = ProbeOutcome.Failed("no scripted answer");

        public List<string> Calls { get; } = [];

        public Task<ProbeOutcome> HttpGetAsync(Uri url, int expectStatus, TimeSpan timeout, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                Calls.Add($"{url} {expectStatus}");
                return Task.FromResult(Http.Count > 0 ? Http.Dequeue() : HttpDefault);
            }
        }

        public Task<ProbeOutcome> TcpConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                Calls.Add($"tcp {host}:{port}");
                return Task.FromResult(Tcp.Count > 0 ? Tcp.Dequeue() : ProbeOutcome.Failed("no scripted answer"));
            }
        }
    }
}
