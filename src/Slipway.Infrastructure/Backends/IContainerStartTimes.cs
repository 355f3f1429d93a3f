namespace Slipway.Infrastructure.Backends;

/// <summary>
/// A backend whose "running" says nothing about staying up (compose: a container without a health check is running the
/// moment it starts, and one that exits a second later, or restarts in a loop, was running when verify looked). Verify
/// asks when such containers last started and calls them ready only once they have stayed up a while.
/// </summary>
public interface IContainerStartTimes
{
    /// <summary>When each of <paramref name="ids"/> last started (a restart resets it); a container that is gone is left out (and not waited for).</summary>
    Task<IReadOnlyDictionary<string, DateTimeOffset>> StartedAtAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken);
}
