using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Build;
using Slipway.Infrastructure.Pipeline;
using Slipway.Infrastructure.Registry;

namespace Slipway.Infrastructure.Operations;

/// <summary>
/// <c>deployment --dir D push-images</c>: the locally built images the deployment runs (each <c>:local</c> image of its
/// pods, as the last good revision pinned it, else the <c>:local</c> image itself) pushed to the spec's image-registry
/// under their own tags, with its registry-credentials; the same mapping as the start pipeline's push, so what is
/// pushed is what the deployment's files and pins name (laconic-so pushed a <c>deploy-</c> tag its manifests did not use).
/// </summary>
public sealed class PushImages(SlipwayEnvironment env)
{
    public async Task<IReadOnlyList<BuiltImage>> RunAsync(string directory, CancellationToken cancellationToken)
    {
        var session = env.OpenDeployment(directory);
        var registry = session.Spec.ImageRegistry?.Value ?? throw new SlipwayException(FailureReason.InvalidInput,
            "push-images needs 'image-registry' in the spec: where to push", "add image-registry: HOST[:PORT]/PATH to the spec, then deploy create --update");
        var prefix = ImagePublisher.NormalizeRegistry(registry) + "/";
        var pins = new RevisionStore(session.Layout).LastGood()?.ImagePins ?? new Dictionary<string, string>();
        var images = session.ServiceImages.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Where(image => image.EndsWith(":local", StringComparison.Ordinal))
            .Select(image => new BuiltImage(image[..^":local".Length], image, pins.TryGetValue(image, out var pin) ? pin : image, TimeSpan.Zero))
            .Where(image => !image.Reference.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();
        if (images.Count == 0)
        {
            throw new SlipwayException(FailureReason.NotFound, "the deployment runs no locally built (':local') image that is not in the registry already: nothing to push");
        }

        var request = ImagePublisher.RequestFor(session, registry, env.GetEnvironment);
        ImagePublisher.CheckLogin(request);
        return await CommandLogs.RunAsync(env, session, "push-images", runner =>
            new ImagePublisher(env.Tools.With(runner).Docker).PushAsync(images, request, (container, line) => env.Reporter.Detail($"{container}: {line}"), cancellationToken));
    }
}
