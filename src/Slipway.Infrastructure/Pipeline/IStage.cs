namespace Slipway.Infrastructure.Pipeline;

/// <summary>One stage of a run. It must be idempotent: a resumed run runs an interrupted stage again from its start.</summary>
public interface IStage
{
    /// <summary>The name recorded in run.json and shown on the console.</summary>
    string Name { get; }

    /// <summary>Does the stage's work; throws a <see cref="Core.Diagnostics.SlipwayException"/> when it fails.</summary>
    Task<StageOutcome> RunAsync(RunContext context, CancellationToken cancellationToken);
}
