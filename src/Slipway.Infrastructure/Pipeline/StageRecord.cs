namespace Slipway.Infrastructure.Pipeline;

public enum StageState
{
    Pending,
    Running,
    Done,
    Skipped,
    Failed,
}

public sealed class StageRecord
{
    public required string Name { get; init; }

    public StageState State { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>What the stage did or why it was skipped (one line).</summary>
    public string? Note { get; set; }

    public string? Error { get; set; }
}
