namespace Slipway.Infrastructure.Backends;

/// <summary>
/// A backend whose apply, killed half-way, can leave a state its next apply stumbles on (compose: a recreate stopped
/// between its steps). resume, and a run that supersedes an unfinished one, ask it to put that right before any stage runs.
/// </summary>
public interface IInterruptedApplyRepair
{
    /// <summary>Puts right what an interrupted apply left, if anything: one line per thing it did, or left alone and why.</summary>
    Task<IReadOnlyList<string>> RepairInterruptedApplyAsync(CancellationToken cancellationToken);
}
