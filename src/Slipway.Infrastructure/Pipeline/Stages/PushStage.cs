namespace Slipway.Infrastructure.Pipeline.Stages;

/// <summary>push: the built images to image-registry (when the spec has one), then every pinned image made available to the backend.</summary>
internal sealed class PushStage(IImageBuilder images) : IStage
{
    public string Name => StageNames.Push;

    public async Task<StageOutcome> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var notes = new List<string>();
        if (run.Built.Count > 0)
        {
            var published = await images.PublishAsync(context, run.Built, cancellationToken);
            if (!published.SequenceEqual(run.Built)) notes.Add("pushed " + string.Join(", ", published.Select(p => p.Reference)));
            run.Built = [.. published];
            run.BuiltPins = context.BackendPins(published);
            // A new build of a stack image replaces a carried pin of one service running it, as it does the image's own pin.
            foreach (var (service, image) in context.Backend.ServiceImages)
            {
                if (run.BuiltPins.ContainsKey(image)) run.CarriedPins.Remove(Backends.ServicePin.Key(service));
            }
        }

        if (await LoadAsync(context, run.EffectivePins, cancellationToken) is { } loaded) notes.Add(loaded);
        return notes.Count == 0 ? StageOutcome.Skip("nothing to push") : StageOutcome.Done(string.Join("; ", notes));
    }

    /// <summary>Makes the pinned images available to the backend (kind: loads them); null when there are none.</summary>
    public static async Task<string?> LoadAsync(RunContext context, IReadOnlyDictionary<string, string> pins, CancellationToken cancellationToken)
    {
        var images = pins.Values.Distinct().Order(StringComparer.Ordinal).ToList();
        if (images.Count == 0) return null;
        await context.Backend.LoadImagesAsync(images, cancellationToken);
        return "images made available to the backend: " + string.Join(", ", images);
    }
}
