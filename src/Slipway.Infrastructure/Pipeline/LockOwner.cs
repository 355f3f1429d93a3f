using System.Globalization;

namespace Slipway.Infrastructure.Pipeline;

/// <summary>Who holds D/.slipway/lock. ProcessStart tells a live owner from a recycled pid.</summary>
public sealed record LockOwner(string Owner, string Host, int Pid, long ProcessStart, DateTimeOffset StartedAt, string Command, string RunId)
{
    public override string ToString() =>
        $"run {RunId} ({Command}) of {Owner}@{Host}, pid {Pid}, since {StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}Z";
}
