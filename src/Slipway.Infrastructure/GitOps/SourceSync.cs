using Slipway.Core.Diagnostics;
using Slipway.Core.Yaml;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Operations;

namespace Slipway.Infrastructure.GitOps;

/// <summary>An override checked against the synced deployment: which compose file and image it replaces.</summary>
/// <param name="StackImage">The image the rendered compose file gives the service.</param>
internal sealed record AppliedImageOverride(string Service, string File, string StackImage, string Image);

/// <param name="SpecFile">The git-tracked spec D was synced from.</param>
/// <param name="Create">What the render and write of <c>deploy create --update</c> did (files added, changed, backed up; warnings; hook output).</param>
/// <param name="Services">Every pod service of the synced D with its image.</param>
internal sealed record SyncResult(string SpecFile, CreateResult Create, IReadOnlyList<AppliedImageOverride> ImageOverrides, IReadOnlyList<ServiceImage> Services)
{
    /// <summary>True when the sync wrote any file into D (a restart with no change writes nothing).</summary>
    public bool Changed => Create.Update is { } update && (update.Added.Count > 0 || update.Changed.Count > 0);

    /// <summary>One line per file the sync added or changed in D, for the run log and output.</summary>
    public IReadOnlyList<string> Changes =>
        Create.Update is not { } update
            ? []
            : [.. update.Changed.Select(f => $"changed {f} (previous kept as {f}.bak)"), .. update.Added.Select(f => $"added {f}")];

    /// <summary>
    /// The overrides as image pins. With <paramref name="perService"/> (compose, swarm) each pins its service only
    /// (<see cref="Backends.ServicePin.Key"/>): the services sharing its stack image keep theirs, see <see cref="SharedImageWarnings"/>.
    /// Without it (Kubernetes) a pin replaces the stack image wherever it is used, and two different overrides for
    /// services sharing one stack image cannot be pins and throw (InvalidInput).
    /// </summary>
    public IReadOnlyDictionary<string, string> ImagePins(bool perService = false)
    {
        if (perService)
        {
            return new SortedDictionary<string, string>(ImageOverrides.ToDictionary(o => Backends.ServicePin.Key(o.Service), o => o.Image), StringComparer.Ordinal);
        }

        var pins = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in ImageOverrides.GroupBy(o => o.StackImage, StringComparer.Ordinal))
        {
            var images = group.Select(o => o.Image).Distinct(StringComparer.Ordinal).ToList();
            if (images.Count > 1)
            {
                throw new SlipwayException(FailureReason.InvalidInput,
                    $"--image gives {string.Join(", ", group.Select(o => $"{o.Service}={o.Image}"))}, but these services run the same image {group.Key}, which is replaced as a whole",
                    "give them the same --image");
            }

            pins[group.Key] = images[0];
        }

        return pins;
    }

    /// <summary>
    /// Services not named by an --image that run the same stack image: per service they keep their image (said, so
    /// sharing is explicit: name them to move them too); image-wide (Kubernetes) they get the --image anyway.
    /// </summary>
    public IReadOnlyList<string> SharedImageWarnings(bool perService = false)
    {
        var warnings = new List<string>();
        var named = ImageOverrides.Select(o => o.Service).ToHashSet(StringComparer.Ordinal);
        foreach (var o in ImageOverrides)
        {
            var sharing = Services.Where(s => s.Image == o.StackImage && !named.Contains(s.Service)).Select(s => s.Service).Distinct().Order(StringComparer.Ordinal).ToList();
            if (sharing.Count > 0 && perService)
            {
                var they = sharing.Count == 1 ? "it" : "them";
                warnings.Add($"--image {o.Service}={o.Image} pins {o.Service} only: {string.Join(", ", sharing)} share{(sharing.Count == 1 ? "s" : "")} its image {o.StackImage} and keep{(sharing.Count == 1 ? "s" : "")} "
                    + $"{(sharing.Count == 1 ? "its" : "their")} own (give {string.Join(" ", sharing.Select(s => $"--image {s}={o.Image}"))} to move {they} too)");
            }
            else if (sharing.Count > 0)
            {
                warnings.Add($"--image {o.Service}={o.Image}: {string.Join(", ", sharing)} use{(sharing.Count == 1 ? "s" : "")} the same image {o.StackImage} and get{(sharing.Count == 1 ? "s" : "")} {o.Image} too");
            }
        }

        return warnings;
    }
}

/// <summary>
/// The sync half of GitOps restart: re-renders D from the git-tracked spec (<c>spec-source</c> in deployment.yml)
/// with exactly the code of <c>deploy create --update</c>. The run's <c>--image</c> overrides are checked against that
/// render before it is written, so a bad override or spec fails before D changes. The spec is never regenerated from
/// defaults; without a spec-source there is nothing to sync from.
/// </summary>
internal sealed class SourceSync(SlipwayEnvironment env)
{
    /// <param name="imageOverrides">The run's <c>--image SERVICE=IMAGE</c> overrides (service → image).</param>
    /// <param name="specSource">In place of deployment.yml's spec-source (restart --spec-file).</param>
    public async Task<SyncResult> SyncAsync(DeploymentSession deployment, IReadOnlyDictionary<string, string> imageOverrides, CancellationToken cancellationToken, string? specSource = null)
    {
        var directory = deployment.Layout.Directory;
        if ((specSource ?? deployment.Identity.SpecSource) is not { } specFile)
        {
            throw new SlipwayException(FailureReason.NotFound,
                $"{deployment.Layout.DeploymentFile} has no spec-source: restart syncs D from the git-tracked spec and does not know where it is",
                "add 'spec-source: /path/to/operator-repo/spec.yml' to deployment.yml, or run 'deploy create --update --spec-file SPEC' yourself");
        }

        if (!File.Exists(specFile))
        {
            throw new SlipwayException(FailureReason.NotFound,
                $"the git-tracked spec {specFile} (spec-source in {deployment.Layout.DeploymentFile}) does not exist",
                "restore it (check out the operator repository there), or point spec-source in deployment.yml at where it is now");
        }

        var create = new DeployCreate(env);
        var render = await create.RenderAsync(new CreateRequest { SpecFile = specFile, DeploymentDirectory = directory, Update = true }, cancellationToken);
        var services = render.PodServices;
        var applied = Resolve(services, imageOverrides);
        var result = await create.WriteAsync(render, cancellationToken);
        return new SyncResult(specFile, result, applied, services);
    }

    private static List<AppliedImageOverride> Resolve(IReadOnlyList<ServiceImage> services, IReadOnlyDictionary<string, string> overrides)
    {
        var applied = new List<AppliedImageOverride>();
        foreach (var (service, image) in overrides.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            if (services.FirstOrDefault(s => s.Service == service) is not { } match)
            {
                var names = services.Select(s => s.Service).ToList();
                throw new SlipwayException(FailureReason.InvalidInput, $"--image names service '{service}', which no pod of the deployment runs",
                    DidYouMean.Hint(service, names) ?? (names.Count == 0 ? null : "services: " + string.Join(", ", names)));
            }

            applied.Add(new AppliedImageOverride(service, match.File, match.Image, image));
        }

        return applied;
    }
}
