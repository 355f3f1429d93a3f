using Slipway.Cli.Tests.Commands;
using Slipway.Infrastructure.Verification;

namespace Slipway.Cli.Tests.Verification;

public sealed class VerifyCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();
    private readonly RecordingProbe _probe = new();

    public VerifyCommandTests() => _cli.Probe = _probe;

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Deployment_verify_checks_through_the_probe_the_host_was_built_with_as_the_pipeline_does()
    {
        _cli.WriteStackAndSpec("stack: ./stack\nverify:\n  - service: web\n    http: /health\n    port: 80\n    timeout: 5\n");
        var create = await _cli.RunAsync("deploy", "create", "--spec-file", "spec.yml", "--deployment-dir", "D");
        Assert.True(create.ExitCode == 0, create.ToString());
        var id = Slipway.Core.Deployments.DeploymentFile.Parse(File.ReadAllText(_cli.Path("D", "deployment.yml")), "deployment.yml").DeploymentId;
        _cli.Runner.On("docker", "ps").Returns(0, DeploymentOutputTests.HealthyWeb(id));
        _cli.Runner.On("docker", "compose").Returns(0, "0.0.0.0:32768\n");

        var run = await _cli.RunAsync("deployment", "--dir", "D", "verify");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["http://127.0.0.1:32768/health"], _probe.Calls);
        Assert.Contains("GET http://127.0.0.1:32768/health", run.Out);
    }

    private sealed class RecordingProbe : IProbe
    {
        public List<string> Calls { get; } = [];

        public Task<ProbeOutcome> HttpGetAsync(Uri url, int expectStatus, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Calls.Add(url.ToString());
            return Task.FromResult(ProbeOutcome.Ok("answered 200 OK"));
        }

        public Task<ProbeOutcome> TcpConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Calls.Add($"tcp {host}:{port}");
            return Task.FromResult(ProbeOutcome.Ok("connected"));
        }
    }
}
