namespace Slipway.Core.Diagnostics;

/// <summary>Why a command failed; the CLI maps each reason to one named exit code.</summary>
public enum FailureReason
{
    InvalidInput,
    PrerequisiteMissing,
    DeploymentFailed,
    Locked,
    VerifyTimeout,
    NotFound,
    Conflict,
}

/// <summary>An expected failure with a message the user can act on (no stack trace unless --debug).</summary>
public class SlipwayException(FailureReason reason, string message, string? hint = null, Exception? inner = null)
    : Exception(message, inner)
{
    public FailureReason Reason { get; } = reason;

    public string? Hint { get; } = hint;
}

/// <summary>Bad user input: one or more diagnostics with file:line:column.</summary>
public sealed class InvalidInputException(IReadOnlyList<Diagnostic> diagnostics)
    : SlipwayException(FailureReason.InvalidInput, Summarize(diagnostics))
{
    public IReadOnlyList<Diagnostic> Diagnostics { get; } = diagnostics;

    public InvalidInputException(Diagnostic diagnostic) : this([diagnostic])
    {
    }

    public static InvalidInputException Of(string code, string message, SourceLocation? location = null, string? hint = null) =>
        new(Diagnostic.Error(code, message, location, hint));

    private static string Summarize(IReadOnlyList<Diagnostic> diagnostics) =>
        string.Join(Environment.NewLine, diagnostics.Where(d => d.IsError).Select(d => d.ToString()));
}
