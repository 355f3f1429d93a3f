using System.Globalization;
using System.Net.Sockets;

namespace Slipway.Infrastructure.Verification;

/// <summary>Real HTTP GETs and TCP connects. Redirects are not followed: a check that expects 302 can say so.</summary>
public sealed class NetworkProbe : IProbe, IDisposable
{
    /// <summary>How long a TCP probe waits, after connecting, to see whether the peer hangs up at once.</summary>
    public static readonly TimeSpan HangUpWindow = TimeSpan.FromMilliseconds(300);

    private const int BodyExcerptLength = 160;

    // Made on the first HTTP check: most commands never probe, and building a client costs start-up time.
    private readonly Lazy<HttpClient> _client = new(() => new HttpClient(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.Zero,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    });

    public async Task<ProbeOutcome> HttpGetAsync(Uri url, int expectStatus, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        try
        {
            using var response = await _client.Value.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            var status = (int)response.StatusCode;
            var answered = $"answered {status} {response.ReasonPhrase}".TrimEnd();
            if (status == expectStatus)
            {
                return ProbeOutcome.Ok(answered);
            }

            var body = await Excerpt(response, attempt.Token);
            return ProbeOutcome.Failed($"{answered}, expected {expectStatus}{(body.Length > 0 ? ": " + body : "")}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeOutcome.Failed($"no answer within {timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)}s");
        }
        catch (HttpRequestException e)
        {
            return ProbeOutcome.Failed(Describe(e));
        }
    }

    public async Task<ProbeOutcome> TcpConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, attempt.Token);

            // Docker's port proxy accepts every connection on a published port and hangs up when nothing listens in the
            // container, so a connect alone proves little: a peer that closes at once counts as closed.
            var stream = client.GetStream();
            using var window = CancellationTokenSource.CreateLinkedTokenSource(attempt.Token);
            window.CancelAfter(HangUpWindow);
            try
            {
                var read = await stream.ReadAsync(new byte[1], window.Token);
                if (read == 0)
                {
                    return ProbeOutcome.Failed("connection accepted, then closed at once (nothing listens behind the published port)");
                }
            }
            catch (OperationCanceledException) when (!attempt.IsCancellationRequested)
            {
                // Still open and silent: a listening server waiting for its client to speak.
            }
            catch (IOException e) when (e.InnerException is SocketException socket)
            {
                return ProbeOutcome.Failed($"connection accepted, then reset ({socket.SocketErrorCode})");
            }

            return ProbeOutcome.Ok("accepted a connection");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeOutcome.Failed($"no connection within {timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)}s");
        }
        catch (SocketException e)
        {
            return ProbeOutcome.Failed(Describe(e.SocketErrorCode)) with { Refused = e.SocketErrorCode == SocketError.ConnectionRefused };
        }
    }

    public void Dispose()
    {
        if (_client.IsValueCreated) _client.Value.Dispose();
    }

    private static string Describe(HttpRequestException e) => e.InnerException switch
    {
        SocketException socket => Describe(socket.SocketErrorCode),
        IOException { InnerException: SocketException socket } => Describe(socket.SocketErrorCode),
        _ when e.HttpRequestError == HttpRequestError.ResponseEnded => "connection closed before an HTTP answer (nothing listens behind the published port?)",
        _ => e.HttpRequestError switch
        {
            HttpRequestError.ConnectionError => "could not connect: " + e.Message,
            HttpRequestError.InvalidResponse => "answered something that is not HTTP",
            _ => e.Message,
        },
    };

    private static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.ConnectionReset => "connection reset",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable => "host unreachable",
        SocketError.TimedOut => "connection timed out",
        _ => $"connection failed ({error})",
    };

    private static async Task<string> Excerpt(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new char[BodyExcerptLength];
            using var reader = new StreamReader(stream);
            var read = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken);
            var text = new string(buffer, 0, read).ReplaceLineEndings(" ").Trim();
            return read == BodyExcerptLength ? text + "..." : text;
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
        {
            return "";
        }
    }
}
