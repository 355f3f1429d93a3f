using System.Net;
using System.Net.Sockets;

namespace Slipway.TestKit;

/// <summary>An HTTP server on 127.0.0.1 (a port of its own) answering the paths it was given, 404 for the rest; it records each path asked for.</summary>
public sealed class LocalHttpServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly List<string> _requests = [];
    private readonly Task _loop;

    public LocalHttpServer()
    {
        // The free port is found by a probe that lets it go again, so another test may take it first: then try another.
        for (var attempt = 1; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                continue;
            }

            _listener = listener;
            Url = $"http://127.0.0.1:{port}";
            break;
        }

        _loop = Task.Run(LoopAsync);
    }

    /// <summary><c>http://127.0.0.1:PORT</c>, without a trailing slash.</summary>
    public string Url { get; }

    /// <summary>The paths asked for so far, in order.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests) return [.. _requests];
        }
    }

    public void Serve(string path, byte[] content)
    {
        lock (_files) _files[path] = content;
    }

    public void Serve(string path, string text) => Serve(path, System.Text.Encoding.UTF8.GetBytes(text));

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var path = context.Request.Url!.AbsolutePath;
            byte[]? content;
            lock (_requests) _requests.Add(path);
            lock (_files) content = _files.GetValueOrDefault(path);
            context.Response.StatusCode = content is null ? 404 : 200;
            if (content is not null) await context.Response.OutputStream.WriteAsync(content);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        try
        {
            _listener.Stop();
            _listener.Close();
        }
        catch (HttpListenerException)
        {
            // The managed listener looks its endpoint up again on close and can trip over a port another test now holds.
        }

        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
