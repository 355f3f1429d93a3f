namespace Slipway.Infrastructure.Pipeline.Stages;

/// <summary>A stage a plan records but never needs (a rollback builds nothing), so every run lists the same stages.</summary>
internal sealed class SkippedStage(string name, string note) : IStage
{
    public string Name => name;

    public Task<StageOutcome> RunAsync(RunContext context, CancellationToken cancellationToken) => Task.FromResult(StageOutcome.Skip(note));
}
