using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Pipeline;
using Slipway.Infrastructure.Tests.Support;

namespace Slipway.Infrastructure.Tests.Pipeline;

/// <summary>restart's sync step and the DNS probe: a changed http-proxy host name is probed after the sync and before anything is applied; a refusal undoes the sync.</summary>
public sealed class RestartDnsProbeTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();
    private readonly FakeBackend _backend = new();
    private readonly FakeProcessRunner _runner = new() { Strict = true };
    private readonly string _d;

    public RestartDnsProbeTests()
    {
        _d = SampleDeployment.Write(_workspace);
        File.WriteAllText(SpecFile, Spec("old.example.test"));
        _backend.States.Add(FakeBackend.Healthy("web"));
    }

    public void Dispose() => _workspace.Dispose();

    private string SpecFile => Path.Combine(_d, "spec.yml");

    private static string Spec(string host) =>
        $"stack: ./stack\nnetwork:\n  http-proxy:\n    - host-name: {host}\n      routes:\n        - path: /\n          proxy-to: web:80\n";

    private Task<RunOutcome> Restart(string newHost, bool force = false) =>
        new PipelineEngine(new PipelineOptions
        {
            Runner = _runner,
            CreateBackend = (session, _) => _backend.For(session),
            Plans = StagePlans.Create(new NoImages(), new SpecRewritingSync(newHost), new DeploymentVerifier(new NoProbe(), TimeSpan.FromMilliseconds(1))),
        }).RunAsync(DeploymentSession.Open(_d), new RunRequest(RunRequest.Restart) { SkipDnsProbe = force, WaitTimeout = TimeSpan.FromSeconds(5) }, CancellationToken.None);

    [Fact]
    public async Task A_changed_host_name_is_probed_after_the_sync_and_before_the_apply()
    {
        var appliedAfterProbe = false;
        _backend.OnApply = _ =>
        {
            appliedAfterProbe = _backend.HostNameProbes.Count == 1;
            return Task.CompletedTask;
        };

        var outcome = await Restart("new.example.test");

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal(["new.example.test (was old.example.test)"], _backend.HostNameProbes);
        Assert.True(appliedAfterProbe);
    }

    [Fact]
    public async Task A_refused_probe_fails_the_restart_with_its_reason_applies_nothing_and_puts_D_back()
    {
        _backend.OnProbeHostName = host => throw new SlipwayException(FailureReason.PrerequisiteMissing, $"restart refused, nothing was changed: the new http-proxy host name {host} does not resolve");

        var outcome = await Restart("new.example.test");

        Assert.Equal(RunState.Failed, outcome.State);
        Assert.Equal(FailureReason.PrerequisiteMissing, outcome.Reason);
        Assert.Contains("new.example.test does not resolve", outcome.Message);
        Assert.Empty(_backend.Applies);
        Assert.Equal(Spec("old.example.test"), File.ReadAllText(SpecFile));
    }

    [Fact]
    public async Task Force_skips_the_probe_and_the_restart_goes_on()
    {
        _backend.OnProbeHostName = _ => throw new InvalidOperationException("not probed with --force");

        var outcome = await Restart("new.example.test", force: true);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Empty(_backend.HostNameProbes);
        Assert.True(outcome.Run.Parameters.SkipDnsProbe);
    }

    [Fact]
    public async Task An_unchanged_host_name_is_not_probed()
    {
        var outcome = await Restart("old.example.test");

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Empty(_backend.HostNameProbes);
    }

    /// <summary>A sync that rewrites D's spec with another host name, as a pulled spec change would.</summary>
    private sealed class SpecRewritingSync(string host) : ISourceSync
    {
        public Task<SourceSyncResult> SyncAsync(RunContext context, IReadOnlyDictionary<string, string> serviceImages, CancellationToken cancellationToken)
        {
            var spec = Path.Combine(context.Session.Layout.Directory, "spec.yml");
            var text = Spec(host);
            var changed = File.ReadAllText(spec) != text;
            File.WriteAllText(spec, text);
            return Task.FromResult(new SourceSyncResult([], changed ? ["spec.yml"] : [], []));
        }
    }

    private sealed class NoImages : IImageBuilder
    {
        public Task<IReadOnlyList<ImagePin>> BuildAsync(RunContext context, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ImagePin>>([]);

        public Task<IReadOnlyList<ImagePin>> PublishAsync(RunContext context, IReadOnlyList<ImagePin> built, CancellationToken cancellationToken) => Task.FromResult(built);
    }

    private sealed class NoProbe : Infrastructure.Verification.IProbe
    {
        public Task<Infrastructure.Verification.ProbeOutcome> HttpGetAsync(Uri url, int expectStatus, TimeSpan timeout, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<Infrastructure.Verification.ProbeOutcome> TcpConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
