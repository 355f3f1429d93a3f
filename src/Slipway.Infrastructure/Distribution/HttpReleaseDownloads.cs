using System.Net;
using Slipway.Core.Diagnostics;

namespace Slipway.Infrastructure.Distribution;

/// <summary>The real downloads: one HttpClient, made on first use (no proxy for this machine's own addresses).</summary>
internal sealed class HttpReleaseDownloads : IReleaseDownloads
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);
    private HttpClient? _loopback;
    private HttpClient? _remote;

    public async Task<bool> DownloadAsync(Uri url, string file, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(url, cancellationToken);
        if (response is null) return false;
        await using var target = new FileStream(file, FileMode.CreateNew, FileAccess.Write);
        await response.Content.CopyToAsync(target, cancellationToken);
        return true;
    }

    public async Task<string?> ReadTextAsync(Uri url, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(url, cancellationToken);
        return response is null ? null : await response.Content.ReadAsStringAsync(cancellationToken);
    }

    private async Task<HttpResponseMessage?> SendAsync(Uri url, CancellationToken cancellationToken)
    {
        var client = url.IsLoopback
            ? _loopback ??= new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout }
            : _remote ??= new HttpClient { Timeout = Timeout };
        HttpResponseMessage response;
        try
        {
            response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new SlipwayException(FailureReason.PrerequisiteMissing, $"could not download {url}: {e.Message}; nothing was changed");
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SlipwayException(FailureReason.PrerequisiteMissing, $"could not download {url}: no answer within {Timeout.TotalMinutes:0} minutes; nothing was changed", inner: e);
        }

        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            response.Dispose();
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
            response.Dispose();
            throw new SlipwayException(FailureReason.PrerequisiteMissing, $"could not download {url}: the server answered {status}; nothing was changed");
        }

        return response;
    }
}
