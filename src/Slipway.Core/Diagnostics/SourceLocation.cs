namespace Slipway.Core.Diagnostics;

/// <summary>A 1-based position in a file, printed compiler-style as <c>file:line:column</c>.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
