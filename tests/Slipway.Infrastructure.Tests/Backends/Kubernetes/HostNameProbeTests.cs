using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Slipway.Core.Diagnostics;
using Slipway.Core.Rendering.Kubernetes;
using Slipway.Infrastructure.Backends.Kubernetes;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Tests.Backends.Kubernetes;

/// <summary>
/// restart's DNS probe: the name resolved through <see cref="IHostResolver"/> (mapped to 127.0.0.1 here), the probe
/// Ingress applied and deleted with kubectl (the fake runner), and the HTTP polling done for real against a small
/// server on 127.0.0.1 that answers as this cluster's Caddy would, or as something else would.
/// </summary>
public sealed class HostNameProbeTests : IDisposable
{
    private const string Host = "shop.example.test";

    private readonly TempWorkspace _workspace = new();
    private readonly FakeProcessRunner _runner = new() { Strict = true };
    private readonly List<string> _warnings = [];
    private readonly List<string> _progress = [];
    private readonly ManualClock _clock = new();
    private readonly ProbeServer _server = new();
    private string _d = "";

    public void Dispose()
    {
        _server.Dispose();
        _workspace.Dispose();
    }

    private KubernetesBackend Backend(IHostResolver? resolver = null)
    {
        _d = KubernetesSample.Write(_workspace, registry: false, jobs: false);
        _runner.On(K("apply")).Returns(0, "ingress.networking.k8s.io/laconic-dns-probe serverside-applied\n");
        _runner.On(K("delete", "ingresses.networking.k8s.io", DnsProbeIngress.Name)).Returns(0);
        return new KubernetesBackend(DeploymentSession.Open(_d), ToolPaths.Default.With(_runner), new KubernetesBackendOptions
        {
            Warn = _warnings.Add,
            Clock = _clock,
            Delay = (by, _) =>
            {
                _clock.Advance(by);
                return Task.CompletedTask;
            },
            HostResolver = resolver ?? new MapResolver(new() { [Host] = [IPAddress.Loopback] }),
            ProbePort = _server.Port,
        });
    }

    private string[] K(params string[] args) => ["kubectl", "--kubeconfig", $"{_d}/kubeconfig.yml", .. args];

    private static string[] Argv(ProcessSpec spec) => [spec.FileName, .. spec.Arguments];

    /// <summary>The token of the probe Ingress kubectl was given.</summary>
    private string AppliedToken()
    {
        var apply = _runner.Single(c => c.Arguments.Contains("apply"));
        var json = System.Text.Json.Nodes.JsonNode.Parse(apply.StandardInput!)!;
        return (string)json["metadata"]!["annotations"]!["slipway.io/probe-token"]!;
    }

    [Fact]
    public async Task A_name_answered_by_this_clusters_caddy_passes_and_the_probe_ingress_is_applied_then_deleted()
    {
        var backend = Backend();
        _server.Respond = request => $"HTTP/1.1 302 Found\r\nLocation: {DnsProbeIngress.Location(AppliedToken())}\r\nContent-Length: 0\r\n\r\n";

        await backend.ProbeHostNameAsync(Host, "old.example.test", _progress.Add, CancellationToken.None);

        Assert.Equal([$"GET {DnsProbeIngress.Path} HOST {Host}:{_server.Port}"], _server.Requests);
        var calls = _runner.Calls;
        Assert.Equal(2, calls.Count);
        Assert.Equal(K("apply", "--server-side", "--field-manager=slipway", "--force-conflicts", "-f", "-"), Argv(calls[0]));
        var ingress = System.Text.Json.Nodes.JsonNode.Parse(calls[0].StandardInput!)!;
        Assert.Equal(("laconic-dns-probe", "default", "caddy", Host, "/.well-known/laconic-probe", "Exact"),
            ((string)ingress["metadata"]!["name"]!, (string)ingress["metadata"]!["namespace"]!, (string)ingress["spec"]!["ingressClassName"]!,
             (string)ingress["spec"]!["rules"]![0]!["host"]!, (string)ingress["spec"]!["rules"]![0]!["http"]!["paths"]![0]!["path"]!, (string)ingress["spec"]!["rules"]![0]!["http"]!["paths"]![0]!["pathType"]!));
        Assert.Equal(K("delete", "ingresses.networking.k8s.io", "laconic-dns-probe", "-n", "default", "--ignore-not-found"), Argv(calls[1]));
        Assert.Contains($"DNS probe: {Host} reaches this cluster's ingress", _progress);
        Assert.Empty(_warnings);
    }

    [Fact]
    public async Task Errors_of_5xx_are_polled_through_until_the_token_answer_comes()
    {
        var backend = Backend();
        var answers = 0;
        _server.Respond = _ => Interlocked.Increment(ref answers) <= 2
            ? "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n"
            : $"HTTP/1.1 302 Found\r\nLocation: {DnsProbeIngress.Location(AppliedToken())}\r\nContent-Length: 0\r\n\r\n";

        await backend.ProbeHostNameAsync(Host, null, _progress.Add, CancellationToken.None);

        Assert.Equal(3, _server.Requests.Count);
        Assert.Equal(ManualClock.Start + TimeSpan.FromSeconds(4), _clock.GetUtcNow());
        Assert.Contains(_progress, p => p.EndsWith("(HTTP 502)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_5xx_answers_for_30_seconds_refuse_the_restart_naming_the_name_and_the_last_answer_and_the_ingress_is_still_deleted()
    {
        var backend = Backend();
        _server.Respond = _ => "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n";

        var error = await Assert.ThrowsAsync<SlipwayException>(() => backend.ProbeHostNameAsync(Host, "old.example.test", _progress.Add, CancellationToken.None));

        Assert.Equal(FailureReason.PrerequisiteMissing, error.Reason);
        Assert.Equal($"restart refused, nothing was changed: the new http-proxy host name {Host} (was old.example.test) resolves to 127.0.0.1 but http://{Host}/.well-known/laconic-probe gave no answer below 500 within 30s (HTTP 503)", error.Message);
        Assert.Contains("'restart --force' skips the probe", error.Hint);
        Assert.Equal(ManualClock.Start + TimeSpan.FromSeconds(30), _clock.GetUtcNow());
        Assert.Equal(16, _server.Requests.Count);
        Assert.Contains(_runner.Calls, c => c.Arguments.Contains("delete"));
    }

    [Fact]
    public async Task Nothing_listening_at_the_name_refuses_the_restart_with_the_connection_error()
    {
        var backend = Backend();
        _server.Dispose();

        var error = await Assert.ThrowsAsync<SlipwayException>(() => backend.ProbeHostNameAsync(Host, null, _progress.Add, CancellationToken.None));

        Assert.Contains("gave no answer below 500 within 30s (Connection refused", error.Message);
        Assert.Contains(_runner.Calls, c => c.Arguments.Contains("delete"));
    }

    [Fact]
    public async Task An_answer_below_500_without_the_token_is_accepted_as_laconic_so_does_with_a_warning()
    {
        var backend = Backend();
        _server.Respond = _ => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";

        await backend.ProbeHostNameAsync(Host, null, _progress.Add, CancellationToken.None);

        Assert.StartsWith($"DNS probe: {Host} answered HTTP 404 but never with this probe's token within 30s", Assert.Single(_warnings));
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_is_refused_before_any_ingress_is_made()
    {
        var backend = Backend(new MapResolver([]));

        var error = await Assert.ThrowsAsync<SlipwayException>(() => backend.ProbeHostNameAsync(Host, "old.example.test", _progress.Add, CancellationToken.None));

        Assert.Equal(FailureReason.PrerequisiteMissing, error.Reason);
        Assert.Equal($"restart refused, nothing was changed: the new http-proxy host name {Host} (was old.example.test) does not resolve", error.Message);
        Assert.Empty(_runner.Calls);
        Assert.Empty(_server.Requests);
    }

    private sealed class MapResolver(Dictionary<string, IPAddress[]> map) : IHostResolver
    {
        public Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<IPAddress>>(map.TryGetValue(host, out var addresses) ? addresses : []);
    }

    /// <summary>An HTTP/1.1 server on 127.0.0.1 answering each request with <see cref="Respond"/> and closing.</summary>
    private sealed class ProbeServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly ConcurrentQueue<string> _requests = new();
        private readonly CancellationTokenSource _stop = new();
        private bool _disposed;

        public ProbeServer()
        {
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _ = Task.Run(AcceptAsync);
        }

        public int Port { get; }

        public Func<string, string> Respond { get; set; } = _ => "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n";

        /// <summary>"METHOD PATH HOST host-header" per request, in order.</summary>
        public IReadOnlyList<string> Requests => [.. _requests];

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    return;
                }

                using (client)
                {
                    var stream = client.GetStream();
                    var reader = new StreamReader(stream, Encoding.ASCII);
                    var requestLine = await reader.ReadLineAsync() ?? "";
                    var host = "";
                    string? line;
                    while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync()))
                    {
                        if (line.StartsWith("Host:", StringComparison.OrdinalIgnoreCase)) host = line[5..].Trim();
                    }

                    var parts = requestLine.Split(' ');
                    _requests.Enqueue($"{parts[0]} {(parts.Length > 1 ? parts[1] : "")} HOST {host}");
                    var response = Respond(requestLine);
                    if (!response.Contains("Connection:", StringComparison.Ordinal)) response = response.Replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n", StringComparison.Ordinal);
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
                }
            }
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }
    }
}
