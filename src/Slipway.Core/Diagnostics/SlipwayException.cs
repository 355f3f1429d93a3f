namespace Slipway.Core.Diagnostics;

/// <summary>An expected failure with a message the user can act on (no stack trace unless --debug).</summary>
public class SlipwayException(FailureReason reason, string message, string? hint = null, Exception? inner = null)
    : Exception(message, inner)
{
    public FailureReason Reason { get; } = reason;

    public string? Hint { get; } = hint;
}
