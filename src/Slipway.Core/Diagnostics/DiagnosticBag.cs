namespace Slipway.Core.Diagnostics;

/// <summary>Collects diagnostics while parsing so that every error of a file is reported at once.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public IReadOnlyList<Diagnostic> Items => _items;

    /// <summary>
    /// Every mapping checked for unknown keys, with the keys it accepts: what the parsers know, so that
    /// a test can hold docs/spec.md to them (keys are never listed twice, in code and in a test).
    /// </summary>
    public IReadOnlyList<(SourceLocation Mapping, IReadOnlyCollection<string> Known)> CheckedMappings => _checked;

    private readonly List<(SourceLocation, IReadOnlyCollection<string>)> _checked = [];

    internal void NoteCheckedMapping(SourceLocation mapping, IReadOnlyCollection<string> known) => _checked.Add((mapping, known));

    public bool HasErrors => _items.Any(d => d.IsError);

    public void Add(Diagnostic diagnostic) => _items.Add(diagnostic);

    public void AddRange(IEnumerable<Diagnostic> diagnostics) => _items.AddRange(diagnostics);

    public void Error(string code, string message, SourceLocation? location = null, string? hint = null) =>
        _items.Add(Diagnostic.Error(code, message, location, hint));

    public void Warning(string code, string message, SourceLocation? location = null, string? hint = null) =>
        _items.Add(Diagnostic.Warning(code, message, location, hint));

    /// <summary>Sorted by file, line, column; diagnostics without a location come last in insertion order.</summary>
    public IReadOnlyList<Diagnostic> Sorted() =>
        _items
            .Select((d, i) => (d, i))
            .OrderBy(x => x.d.Location is null ? 1 : 0)
            .ThenBy(x => x.d.Location?.File, StringComparer.Ordinal)
            .ThenBy(x => x.d.Location?.Line ?? 0)
            .ThenBy(x => x.d.Location?.Column ?? 0)
            .ThenBy(x => x.i)
            .Select(x => x.d)
            .ToList();

    /// <summary>Throws <see cref="InvalidInputException"/> with every diagnostic when any is an error.</summary>
    public void ThrowIfErrors()
    {
        if (HasErrors)
        {
            throw new InvalidInputException(Sorted());
        }
    }
}
