namespace Slipway.Core.Compose;

/// <summary>
/// A compose healthcheck: the command as exec words (<c>CMD-SHELL x</c> becomes <c>/bin/sh -c x</c>) and its timings
/// as written (compose durations; null: compose's default).
/// </summary>
public sealed record ComposeHealthcheck(IReadOnlyList<string> Command, string? Interval, string? Timeout, string? Retries, string? StartPeriod)
{
    public static readonly ComposeHealthcheck Disabled = new([], null, null, null, null);

    public bool IsDisabled => Command.Count == 0;
}
