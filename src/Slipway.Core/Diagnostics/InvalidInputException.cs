namespace Slipway.Core.Diagnostics;

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
