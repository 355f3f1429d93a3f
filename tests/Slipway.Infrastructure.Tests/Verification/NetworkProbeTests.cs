using System.Net;
using System.Net.Sockets;
using System.Text;
using Slipway.Infrastructure.Verification;

namespace Slipway.Infrastructure.Tests.Verification;

/// <summary>The real probe against tiny servers on 127.0.0.1 (free ports picked by the OS).</summary>
public sealed class NetworkProbeTests : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private readonly NetworkProbe _probe = new();
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _held = [];
    private Task _server = Task.CompletedTask;

    private int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    private Uri Url(string path) => new($"http://127.0.0.1:{Port}{path}");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _server;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        foreach (var client in _held) client.Dispose();
        _probe.Dispose();
        _stop.Dispose();
    }

    /// <summary>Serves every connection with <paramref name="handle"/>.</summary>
    private void Serve(Func<TcpClient, Task> handle)
    {
        _listener.Start();
        _server = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = handle(client);
            }
        });
    }

    private void ServeHttp(string statusLine, string body) => Serve(async client =>
    {
        using (client)
        {
            var stream = client.GetStream();
            await ReadRequestAsync(stream);
            var response = $"HTTP/1.1 {statusLine}\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
            await stream.WriteAsync(Encoding.UTF8.GetBytes(response));
        }
    });

    /// <summary>Reads up to the blank line that ends the request headers (a GET has no body).</summary>
    private static async Task ReadRequestAsync(NetworkStream stream)
    {
        var seen = new StringBuilder();
        var buffer = new byte[1024];
        while (!seen.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0) return;
            seen.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
    }

    [Fact]
    public async Task Http_passes_when_the_status_is_the_expected_one()
    {
        ServeHttp("200 OK", "fine");

        var outcome = await _probe.HttpGetAsync(Url("/health"), 200, Timeout, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok("answered 200 OK"), outcome);
    }

    [Fact]
    public async Task Http_fails_on_another_status_and_quotes_the_start_of_the_body()
    {
        ServeHttp("404 Not Found", "no such page\nsecond line");

        var outcome = await _probe.HttpGetAsync(Url("/missing"), 200, Timeout, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Failed("answered 404 Not Found, expected 200: no such page second line"), outcome);
    }

    [Fact]
    public async Task Http_does_not_follow_redirects_so_a_redirect_can_be_expected()
    {
        Serve(async client =>
        {
            using (client)
            {
                await ReadRequestAsync(client.GetStream());
                await client.GetStream().WriteAsync("HTTP/1.1 302 Found\r\nLocation: /login\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
            }
        });

        Assert.True((await _probe.HttpGetAsync(Url("/"), 302, Timeout, CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task Http_to_a_closed_port_is_refused()
    {
        _listener.Start();
        var port = Port;
        _listener.Stop();

        var outcome = await _probe.HttpGetAsync(new Uri($"http://127.0.0.1:{port}/"), 200, Timeout, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Failed("connection refused"), outcome);
    }

    [Fact]
    public async Task Http_to_a_server_that_never_answers_gives_up_after_the_attempt_timeout()
    {
        Serve(client =>
        {
            _held.Add(client);
            return Task.CompletedTask;
        });

        var outcome = await _probe.HttpGetAsync(Url("/"), 200, TimeSpan.FromMilliseconds(300), CancellationToken.None);

        Assert.Equal(ProbeOutcome.Failed("no answer within 0.3s"), outcome);
    }

    [Fact]
    public async Task Http_to_a_server_that_hangs_up_says_so()
    {
        Serve(client =>
        {
            client.Dispose();
            return Task.CompletedTask;
        });

        var outcome = await _probe.HttpGetAsync(Url("/"), 200, Timeout, CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Matches("closed before an HTTP answer|connection reset", outcome.Detail);
    }

    [Fact]
    public async Task Tcp_passes_when_a_server_accepts_and_keeps_the_connection()
    {
        Serve(client =>
        {
            _held.Add(client);
            return Task.CompletedTask;
        });

        Assert.Equal(ProbeOutcome.Ok("accepted a connection"), await _probe.TcpConnectAsync("127.0.0.1", Port, Timeout, CancellationToken.None));
    }

    [Fact]
    public async Task Tcp_passes_when_the_server_speaks_first()
    {
        Serve(async client =>
        {
            _held.Add(client);
            await client.GetStream().WriteAsync("220 ready\r\n"u8.ToArray());
        });

        Assert.True((await _probe.TcpConnectAsync("127.0.0.1", Port, Timeout, CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task Tcp_fails_when_the_peer_hangs_up_at_once_as_dockers_proxy_does_for_a_dead_port()
    {
        Serve(client =>
        {
            client.Dispose();
            return Task.CompletedTask;
        });

        var outcome = await _probe.TcpConnectAsync("127.0.0.1", Port, Timeout, CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.StartsWith("connection accepted, then", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tcp_to_a_closed_port_is_refused()
    {
        _listener.Start();
        var port = Port;
        _listener.Stop();

        Assert.Equal(ProbeOutcome.Failed("connection refused") with { Refused = true }, await _probe.TcpConnectAsync("127.0.0.1", port, Timeout, CancellationToken.None));
    }
}
