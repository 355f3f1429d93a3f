using Slipway.Infrastructure.Backends;

namespace Slipway.Infrastructure.Pipeline;

/// <summary>What a wait for health found: healthy or not, why, and one line per container or pod.</summary>
public sealed record HealthReport(bool Healthy, IReadOnlyList<string> Lines, bool TimedOut = false)
{
    /// <summary>Every container or pod of the last poll (not only the asked services).</summary>
    public IReadOnlyList<ServiceState> Services { get; init; } = [];

    /// <summary>The backend's notes on a healthy result (see <see cref="HealthSnapshot.Notes"/>).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
