namespace Slipway.Infrastructure.Pipeline.Stages;

/// <summary>build: the stack's images under an immutable tag; their pins replace what the live revision carried.</summary>
internal sealed class BuildStage(IImageBuilder images) : IStage
{
    public string Name => StageNames.Build;

    public async Task<StageOutcome> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        var built = await images.BuildAsync(context, cancellationToken);
        context.Run.Built = [.. built];
        context.Run.BuiltPins = context.BackendPins(built);
        return built.Count == 0 ? StageOutcome.Skip("no images to build") : StageOutcome.Done("built " + string.Join(", ", built.Select(p => p.Reference)));
    }
}
