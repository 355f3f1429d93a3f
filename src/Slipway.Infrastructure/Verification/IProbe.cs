namespace Slipway.Infrastructure.Verification;

/// <summary>What one probe attempt found; <see cref="Detail"/> says it in words ("answered 404 Not Found, expected 200").</summary>
public sealed record ProbeOutcome(bool Succeeded, string Detail)
{
    /// <summary>The peer refused the connection (nothing listens there): a definite answer, unlike a timeout.</summary>
    public bool Refused { get; init; }

    public static ProbeOutcome Ok(string detail) => new(true, detail);

    public static ProbeOutcome Failed(string detail) => new(false, detail);
}

/// <summary>One network probe attempt. Never throws for a failed probe (only for cancellation by the caller).</summary>
public interface IProbe
{
    Task<ProbeOutcome> HttpGetAsync(Uri url, int expectStatus, TimeSpan timeout, CancellationToken cancellationToken);

    Task<ProbeOutcome> TcpConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken);
}
