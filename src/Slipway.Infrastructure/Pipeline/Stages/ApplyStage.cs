using Slipway.Core.Verification;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Verification;

namespace Slipway.Infrastructure.Pipeline.Stages;

/// <summary>apply: the spec's pre-deploy hooks, then the backend brings the deployment to D with the run's pins, without waiting (verify waits).</summary>
internal sealed class ApplyStage : IStage
{
    public string Name => StageNames.Apply;

    public async Task<StageOutcome> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        await SpecHookRunner.RunAsync(context.Session, SpecHookPhase.PreDeploy, context.Runner, context.Progress, cancellationToken);
        var pins = context.Run.EffectivePins;
        await ApplyAsync(context, pins, cancellationToken);
        return StageOutcome.Done(ImagesNote(pins));
    }

    /// <summary>The stage's note: which images the pins replaced (none: no note).</summary>
    public static string? ImagesNote(IReadOnlyDictionary<string, string> pins) =>
        pins.Count == 0 ? null : "images: " + string.Join(", ", pins.Select(p => $"{p.Key} → {p.Value}"));

    public static Task ApplyAsync(RunContext context, IReadOnlyDictionary<string, string> pins, CancellationToken cancellationToken, bool allServices = false)
    {
        var parameters = context.Run.Parameters;
        return context.Backend.ApplyAsync(new ApplyOptions
        {
            Wait = false,
            ForceRecreate = !allServices && parameters.ForceRecreate,
            Services = allServices ? [] : parameters.Services,
            WaitTimeout = context.WaitTimeout,
            ImagePins = pins,
            PerformClusterManagement = parameters.PerformClusterManagement,
            Progress = context.Progress,
        }, cancellationToken);
    }
}
