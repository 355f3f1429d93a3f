using System.Globalization;
using Slipway.Core.Diagnostics;

namespace Slipway.Core.Verification;

public enum ProbeKind
{
    Http,
    Tcp,
}

/// <summary>
/// One spec <c>verify</c> check: an HTTP GET of <see cref="Path"/> expecting <see cref="ExpectStatus"/>, or a TCP connect,
/// against the host address where the backend publishes the service's container <see cref="Port"/>.
/// </summary>
/// <param name="Port">The container port; null for an HTTP check that names none (the service's one published port is used).</param>
public sealed record VerifyCheck(
    string Service,
    ProbeKind Kind,
    string? Path,
    int? Port,
    int ExpectStatus,
    TimeSpan Timeout,
    SourceLocation? Location = null)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public const int DefaultExpectStatus = 200;

    public static VerifyCheck Http(string service, string path, int? port = null, int expect = DefaultExpectStatus, TimeSpan? timeout = null) =>
        new(service, ProbeKind.Http, path, port, expect, timeout ?? DefaultTimeout);

    public static VerifyCheck Tcp(string service, int port, TimeSpan? timeout = null) =>
        new(service, ProbeKind.Tcp, null, port, 0, timeout ?? DefaultTimeout);

    /// <summary>What the check asks, for reports: <c>web: GET /health on port 80 → 200 (within 30s)</c>.</summary>
    public string Describe()
    {
        var port = Port is { } p ? "port " + p.ToString(CultureInfo.InvariantCulture) : "its published port";
        var what = Kind == ProbeKind.Http
            ? $"GET {Path} on {port} answers {ExpectStatus}"
            : $"TCP {port} accepts connections";
        return $"{Service}: {what} (within {Durations.Format(Timeout)})";
    }
}
