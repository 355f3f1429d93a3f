using System.Diagnostics;
using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Backends.Compose;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Verification;
using Slipway.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using ToolsDocker = Slipway.Infrastructure.Tools.Docker;

namespace Slipway.IntegrationTests;

/// <summary>
/// The spec's verify checks against the example stack's busybox httpd (image built FROM scratch by the fixture),
/// deployed with ComposeBackend, probed over real HTTP and TCP on 127.0.0.1.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class VerifyTests(DockerFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Spec_verify_checks_pass_on_a_healthy_service_and_a_wrong_path_or_closed_port_fails_within_its_timeout()
    {
        Assert.Equal(0, fixture.HelloBuild.ExitCode);
        await using var ws = new Workspace();
        var spec = ws.Combine("verify-spec.yml");
        await File.WriteAllTextAsync(spec, $"""
            stack: "{Paths.HelloStack}"
            config:
              GREETING: verified by slipway
            network:
              ports:
                # 81 is published but nothing listens on it in the container.
                web: ["127.0.0.1::80", "127.0.0.1::81"]
            verify:
              - service: web
                http: /
                port: 80
              - service: web
                tcp: 80
                timeout: 10s
              - service: web
                http: /no-such-page
                port: 80
                timeout: 3s
              - service: web
                tcp: 81
                timeout: 3s
              - service: counter
                tcp: 9999
                timeout: 2s
            """);
        var d = await ws.CreateAsync(spec, "verify");
        Assert.DoesNotContain("not implemented", d.CreateResult.AllOutput, StringComparison.Ordinal);

        var deployment = DeploymentSession.Open(d.Directory);
        var backend = new ComposeBackend(deployment, new ToolsDocker(new SystemProcessRunner()));
        await backend.ApplyAsync(new ApplyOptions { WaitTimeout = TimeSpan.FromMinutes(2) }, CancellationToken.None);
        var checks = deployment.Spec.Verify;
        Assert.Equal(5, checks.Count);
        Assert.Empty(DeploymentChecks.Prepare(deployment));

        using var probe = new NetworkProbe();
        var progress = new List<string>();
        var clock = Stopwatch.StartNew();
        var report = await new VerifyRunner(probe) { Secrets = deployment.SecretValues }.RunAsync(checks, backend, progress.Add, CancellationToken.None);
        clock.Stop();

        var summary = report.Summary();
        output.WriteLine(summary);
        var url = await d.UrlAsync("web", 80);
        var results = report.Results;
        Assert.True(results[0].Passed, summary);
        Assert.Equal($"GET http://127.0.0.1:{url.Port}/", results[0].Target);
        Assert.Equal("answered 200 OK", results[0].Detail);
        Assert.True(results[1].Passed, summary);

        Assert.False(results[2].Passed, summary);
        Assert.Equal($"GET http://127.0.0.1:{url.Port}/no-such-page", results[2].Target);
        Assert.StartsWith("answered 404 Not Found, expected 200", results[2].Detail, StringComparison.Ordinal);
        Assert.EndsWith("gave up after 3s", results[2].Detail, StringComparison.Ordinal);
        Assert.InRange(results[2].Elapsed, TimeSpan.FromSeconds(2.4), TimeSpan.FromSeconds(4));

        // Docker's port proxy accepts on 81 and hangs up (or the engine refuses): either way the port is closed.
        Assert.False(results[3].Passed, summary);
        // On a loaded machine the proxy's hang-up can come late; the container's own refusal is then the answer.
        Assert.Matches(@"^(connection accepted, then (closed at once|reset).*|connection refused|connection accepted at the published port, but nothing listens on port 81 in the container \([0-9.]+:81 refused it\)); gave up after 3s$", results[3].Detail);
        Assert.InRange(results[3].Elapsed, TimeSpan.FromSeconds(2.4), TimeSpan.FromSeconds(4));

        Assert.False(results[4].Passed, summary);
        Assert.Null(results[4].Target);
        Assert.Contains("has no published port 9999", results[4].Detail, StringComparison.Ordinal);

        // The checks ran side by side: about the longest timeout, not the sum (3 + 3 + 2 s).
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(7), $"verify took {clock.Elapsed}:\n{summary}");
        Assert.StartsWith("verify: 3 of 5 checks failed\n", summary, StringComparison.Ordinal);
        Assert.Contains("FAILED  web: GET /no-such-page on port 80 answers 200 (within 3s)", summary, StringComparison.Ordinal);
        var error = Assert.Throws<SlipwayException>(report.ThrowIfFailed);
        Assert.Equal(FailureReason.VerifyTimeout, error.Reason);
        Assert.Contains(progress, line => line.StartsWith("verify web: GET http://127.0.0.1:", StringComparison.Ordinal) && line.EndsWith("; retrying", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_check_of_a_service_whose_container_is_stopped_fails_within_its_timeout()
    {
        Assert.Equal(0, fixture.HelloBuild.ExitCode);
        await using var ws = new Workspace();
        var spec = ws.Combine("stopped-spec.yml");
        await File.WriteAllTextAsync(spec, $"""
            stack: "{Paths.HelloStack}"
            network:
              ports:
                web: ["127.0.0.1::80"]
            verify:
              - service: web
                http: /
                timeout: 2s
            """);
        var d = await ws.CreateAsync(spec, "stopped");
        var deployment = DeploymentSession.Open(d.Directory);
        var backend = new ComposeBackend(deployment, new ToolsDocker(new SystemProcessRunner()));
        await backend.ApplyAsync(new ApplyOptions { WaitTimeout = TimeSpan.FromMinutes(2) }, CancellationToken.None);
        using var probe = new NetworkProbe();
        var checks = deployment.Spec.Verify;

        // Without a port the check takes the one the service publishes.
        var healthy = await new VerifyRunner(probe) { Secrets = deployment.SecretValues }.RunAsync(deployment.Spec.Verify, backend, null, CancellationToken.None);
        Assert.True(healthy.Passed, healthy.Summary());

        await Docker.OutputAsync("compose", "--project-name", d.DeploymentId, "stop", "--timeout", "1", "web");
        var stopped = await new VerifyRunner(probe).RunAsync(checks, backend, null, CancellationToken.None);

        var result = Assert.Single(stopped.Failures);
        Assert.InRange(result.Elapsed, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(4));
        Assert.EndsWith("gave up after 2s", result.Detail, StringComparison.Ordinal);
        Assert.Contains("web", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_spec_check_fails_start_at_verify_and_the_verify_command_reports_it()
    {
        Assert.Equal(0, fixture.HelloBuild.ExitCode);
        await using var ws = new Workspace();
        var spec = ws.Combine("spec.yml");
        await File.WriteAllTextAsync(spec, $"""
            stack: "{Paths.HelloStack}"
            network:
              ports:
                web: ["127.0.0.1::80"]
            verify:
              - service: web
                http: /
              - service: web
                http: /no-such-page
                timeout: 2s
            """);
        var d = await ws.CreateAsync(spec, "d");

        var start = await d.RunAsync(8, "start");
        var verify = await d.RunAsync(8, "verify");

        Assert.Contains("verify checks failed", start.StandardError);
        Assert.Contains("no good revision", start.StandardError);
        Assert.Contains("ok  web: GET /", verify.StandardOutput);
        Assert.Contains("404", verify.StandardOutput);
    }
}
