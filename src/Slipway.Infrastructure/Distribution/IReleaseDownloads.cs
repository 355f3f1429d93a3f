namespace Slipway.Infrastructure.Distribution;

/// <summary>The HTTP reads <c>slipway update</c> makes: a seam, so that tests serve releases from 127.0.0.1.</summary>
public interface IReleaseDownloads
{
    /// <summary>Writes the body at <paramref name="url"/> to <paramref name="file"/>; false when the server answers 404.</summary>
    Task<bool> DownloadAsync(Uri url, string file, CancellationToken cancellationToken);

    /// <summary>The text at <paramref name="url"/>; null when the server answers 404.</summary>
    Task<string?> ReadTextAsync(Uri url, CancellationToken cancellationToken);
}
