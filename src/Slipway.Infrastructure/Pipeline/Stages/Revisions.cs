namespace Slipway.Infrastructure.Pipeline.Stages;

/// <summary>The revision record of what a run has applied: D's spec hash, the pins, and the image each service ran.</summary>
internal static class Revisions
{
    /// <summary>service → the image it runs with the run's pins applied.</summary>
    public static Dictionary<string, string> Images(RunContext context)
    {
        var pins = context.Run.EffectivePins;
        return context.Backend.ServiceImages
            .ToDictionary(s => s.Key, s => Backends.ServicePin.Resolve(pins, s.Key, s.Value) ?? s.Value, StringComparer.Ordinal);
    }

    public static RevisionRecord New(RunContext context, string result, string hash)
    {
        var pins = context.Run.EffectivePins;
        var images = Images(context);
        return new RevisionRecord
        {
            Number = 0,
            Time = context.Clock.GetUtcNow(),
            Result = result,
            Command = context.Run.Command,
            RunId = context.Run.Id,
            SpecHash = RevisionStore.SpecHashOf(context.Session.Layout),
            FilesHash = hash,
            ImagePins = new SortedDictionary<string, string>(pins.ToDictionary(), StringComparer.Ordinal),
            Images = new SortedDictionary<string, string>(images, StringComparer.Ordinal),
            Sources = [.. context.Run.Sources],
        };
    }
}
