namespace Slipway.Core.Diagnostics;

public enum Severity
{
    Warning,
    Error,
}

/// <summary>
/// One finding about user input. Parsers collect these and report them all at once,
/// sorted by file, line and column.
/// </summary>
public sealed record Diagnostic(Severity Severity, string Code, string Message, SourceLocation? Location = null, string? Hint = null)
{
    public static Diagnostic Error(string code, string message, SourceLocation? location = null, string? hint = null) =>
        new(Severity.Error, code, message, location, hint);

    public static Diagnostic Warning(string code, string message, SourceLocation? location = null, string? hint = null) =>
        new(Severity.Warning, code, message, location, hint);

    public bool IsError => Severity == Severity.Error;

    /// <summary><c>spec.yml:5:5: error SW012: unknown key 'replica' (did you mean 'replicas'?)</c></summary>
    public override string ToString()
    {
        var where = Location is null ? "" : Location + ": ";
        var severity = Severity == Severity.Error ? "error" : "warning";
        var hint = Hint is null ? "" : $" ({Hint})";
        return $"{where}{severity} {Code}: {Message}{hint}";
    }
}
