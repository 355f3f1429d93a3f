namespace Slipway.Infrastructure.Pipeline;

/// <summary>What a stage did (one line for the record and the console), or why it had nothing to do.</summary>
public sealed record StageOutcome(string? Note, bool Skipped = false)
{
    public static StageOutcome Done(string? note = null) => new(note);

    public static StageOutcome Skip(string note) => new(note, Skipped: true);
}
