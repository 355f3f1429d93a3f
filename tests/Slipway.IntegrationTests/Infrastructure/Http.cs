using System.Net;
using System.Text.RegularExpressions;

namespace Slipway.IntegrationTests.Infrastructure;

/// <summary>HTTP to the published ports; only ever to 127.0.0.1.</summary>
public static partial class Http
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>The base URL for what <c>deployment port SVC PORT</c> printed (HOST:PORT); a wildcard host becomes 127.0.0.1.</summary>
    public static Uri BaseUrl(string portOutput)
    {
        var text = portOutput.Trim();
        var match = HostPort().Match(text);
        Assert.True(match.Success, $"'port' printed '{text}', expected HOST:PORT");
        var host = match.Groups["host"].Value;
        if (host is "0.0.0.0" or "::" or "[::]" or "") host = "127.0.0.1";
        Assert.Equal("127.0.0.1", host);
        return new Uri($"http://{host}:{match.Groups["port"].Value}/");
    }

    /// <summary>GETs a path and returns status and body, retrying connection errors for a few seconds.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> GetAsync(Uri baseUrl, string path)
    {
        var url = new Uri(baseUrl, path);
        Assert.Equal("127.0.0.1", url.Host);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                using var response = await Client.GetAsync(url);
                return (response.StatusCode, await response.Content.ReadAsStringAsync());
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }

    /// <summary>GETs a path that must answer 200 and returns its body.</summary>
    public static async Task<string> GetOkAsync(Uri baseUrl, string path)
    {
        var (status, body) = await GetAsync(baseUrl, path);
        Assert.True(status == HttpStatusCode.OK, $"GET {new Uri(baseUrl, path)} answered {(int)status} {status}:\n{body}");
        return body;
    }

    [GeneratedRegex(@"^(?<host>.*):(?<port>\d+)$")]
    private static partial Regex HostPort();
}
