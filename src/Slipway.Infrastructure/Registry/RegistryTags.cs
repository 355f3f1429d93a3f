using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Slipway.Core.Diagnostics;

namespace Slipway.Infrastructure.Registry;

/// <summary>
/// The registry's HTTP API (distribution v2) for what no docker command answers: a repository's tags, and the
/// architectures a tag is for. Basic auth with the given credentials, or the bearer token the registry's
/// WWW-Authenticate challenge points to. HTTPS, except for a loopback registry (docker talks plain HTTP to those too).
/// </summary>
internal sealed class RegistryTags(HttpClient http, string host, string username, string token)
{
    private static readonly string[] ManifestTypes =
    [
        "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
    ];

    private string? _bearer;

    public string BaseUrl { get; } = (IsLoopback(host) ? "http://" : "https://") + host;

    public static bool IsLoopback(string host)
    {
        var name = host.Split(':')[0];
        return name == "localhost" || (IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address));
    }

    /// <summary>The repository's tags; none when the registry does not have the repository.</summary>
    public async Task<IReadOnlyList<string>> TagsAsync(string repository, CancellationToken cancellationToken)
    {
        var (status, body) = await GetAsync($"/v2/{repository}/tags/list", [], cancellationToken);
        if (status == HttpStatusCode.NotFound) return [];
        Ensure(status, body, $"list the tags of {repository}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
            ? [.. tags.EnumerateArray().Select(t => t.GetString()).OfType<string>()]
            : [];
    }

    /// <summary>The linux architectures <paramref name="tag"/> is for: each entry of an index, or a single image's config.</summary>
    public async Task<IReadOnlyList<string>> ArchitecturesAsync(string repository, string tag, CancellationToken cancellationToken)
    {
        var (status, body) = await GetAsync($"/v2/{repository}/manifests/{tag}", ManifestTypes, cancellationToken);
        Ensure(status, body, $"read the manifest of {repository}:{tag}");
        if (IndexArchitectures(body) is { } architectures) return architectures;
        if (ConfigDigest(body) is not { } digest) return [];
        var (blobStatus, config) = await GetAsync($"/v2/{repository}/blobs/{digest}", [], cancellationToken);
        Ensure(blobStatus, config, $"read the image config of {repository}:{tag}");
        return ConfigArchitecture(config) is { } architecture ? [architecture] : [];
    }

    /// <summary>An index's (manifest list's) linux architectures; null when the manifest is a single image's.</summary>
    internal static IReadOnlyList<string>? IndexArchitectures(string manifest)
    {
        using var json = JsonDocument.Parse(manifest);
        if (!json.RootElement.TryGetProperty("manifests", out var entries) || entries.ValueKind != JsonValueKind.Array) return null;
        return [.. entries.EnumerateArray()
            .Where(e => e.TryGetProperty("platform", out var p) && p.TryGetProperty("os", out var os) && os.GetString() == "linux")
            .Select(e => e.GetProperty("platform").TryGetProperty("architecture", out var a) ? a.GetString() : null).OfType<string>()];
    }

    internal static string? ConfigDigest(string manifest)
    {
        using var json = JsonDocument.Parse(manifest);
        return json.RootElement.TryGetProperty("config", out var config) && config.TryGetProperty("digest", out var digest) ? digest.GetString() : null;
    }

    internal static string? ConfigArchitecture(string config)
    {
        using var json = JsonDocument.Parse(config);
        return json.RootElement.TryGetProperty("architecture", out var architecture) ? architecture.GetString() : null;
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string path, string[] accept, CancellationToken cancellationToken)
    {
        var (status, body, challenge) = await SendAsync(path, accept, cancellationToken);
        // A token registry answers 401 with where to get a token for this repository's scope: get one, ask again.
        if (status != HttpStatusCode.Unauthorized || challenge is null) return (status, body);
        _bearer = await BearerAsync(challenge, cancellationToken);
        (status, body, _) = await SendAsync(path, accept, cancellationToken);
        return (status, body);
    }

    private async Task<(HttpStatusCode, string, string?)> SendAsync(string path, string[] accept, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, BaseUrl + path);
        foreach (var type in accept) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        request.Headers.Authorization = _bearer is not null ? new AuthenticationHeaderValue("Bearer", _bearer) : Basic();
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var challenge = response.Headers.WwwAuthenticate.FirstOrDefault(h => h.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))?.Parameter;
            return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken), challenge);
        }
        catch (HttpRequestException e)
        {
            throw new SlipwayException(FailureReason.PrerequisiteMissing, $"the registry {BaseUrl} could not be reached: {e.Message}", "check --image-registry and that the registry answers");
        }
    }

    private AuthenticationHeaderValue Basic() => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{token}")));

    /// <summary>realm="...",service="...",scope="..." → the token service's answer for those.</summary>
    private async Task<string> BearerAsync(string challenge, CancellationToken cancellationToken)
    {
        var fields = challenge.Split(',').Select(f => f.Split('=', 2)).Where(f => f.Length == 2)
            .ToDictionary(f => f[0].Trim(), f => f[1].Trim().Trim('"'), StringComparer.OrdinalIgnoreCase);
        if (!fields.TryGetValue("realm", out var realm)) throw new SlipwayException(FailureReason.PrerequisiteMissing, $"the registry {BaseUrl} asked for a token without saying where to get it");
        var query = string.Join('&', fields.Where(f => f.Key is "service" or "scope").Select(f => $"{f.Key}={Uri.EscapeDataString(f.Value)}"));
        using var request = new HttpRequestMessage(HttpMethod.Get, query.Length == 0 ? realm : $"{realm}?{query}");
        request.Headers.Authorization = Basic();
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Ensure(response.StatusCode, body, "get a token");
        using var json = JsonDocument.Parse(body);
        return (json.RootElement.TryGetProperty("token", out var t) ? t.GetString() : json.RootElement.TryGetProperty("access_token", out var a) ? a.GetString() : null)
            ?? throw new SlipwayException(FailureReason.PrerequisiteMissing, $"the token service of {BaseUrl} answered without a token");
    }

    private void Ensure(HttpStatusCode status, string body, string what)
    {
        if ((int)status is >= 200 and < 300) return;
        var refused = status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
        throw new SlipwayException(refused ? FailureReason.PrerequisiteMissing : FailureReason.DeploymentFailed,
            $"the registry {BaseUrl} answered {(int)status} {status} when asked to {what}{(body.Length is > 0 and < 300 ? ": " + body.Trim() : "")}",
            refused ? $"check --registry-username and --registry-token (user {username})" : null);
    }
}
