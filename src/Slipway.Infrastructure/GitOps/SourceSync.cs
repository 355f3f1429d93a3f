using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Yaml;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Operations;
using YamlDotNet.RepresentationModel;

namespace Slipway.Infrastructure.GitOps;

/// <summary>One <c>--image SERVICE=IMAGE</c> of restart: the image a service runs for this run only.</summary>
public sealed record ServiceImageOverride(string Service, string Image)
{
    /// <summary>Parses <c>SERVICE=IMAGE</c>; throws an InvalidInput <see cref="SlipwayException"/> naming the bad text.</summary>
    public static ServiceImageOverride Parse(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var service = equals < 0 ? "" : text[..equals].Trim();
        var image = equals < 0 ? "" : text[(equals + 1)..].Trim();
        if (service.Length == 0 || image.Length == 0 || image.Any(char.IsWhiteSpace))
        {
            throw new SlipwayException(FailureReason.InvalidInput, $"--image '{text}' must read SERVICE=IMAGE", "e.g. --image web=registry.example.com/shop/web:3f2a9c1d7e4b");
        }

        return new ServiceImageOverride(service, image);
    }
}

/// <summary>An override checked against the synced deployment: which compose file and image it replaces.</summary>
/// <param name="StackImage">The image the rendered compose file gives the service.</param>
public sealed record AppliedImageOverride(string Service, string File, string StackImage, string Image);

/// <summary>A pod service of the deployment and the image its rendered compose file gives it.</summary>
public sealed record ServiceImage(string Service, string File, string Image);

/// <param name="Deployment">D reopened after the sync (its config and stack are the new ones).</param>
/// <param name="SpecFile">The git-tracked spec D was synced from.</param>
/// <param name="Create">What <c>deploy create --update</c> did (files added, changed, backed up; warnings; hook output).</param>
/// <param name="Services">Every pod service of the synced D with its image.</param>
public sealed record SyncResult(Deployment Deployment, string SpecFile, CreateResult Create, IReadOnlyList<AppliedImageOverride> ImageOverrides, IReadOnlyList<ServiceImage> Services)
{
    /// <summary>True when the sync wrote any file into D (a restart with no change writes nothing).</summary>
    public bool Changed => Create.Update is { } update && (update.Added.Count > 0 || update.Changed.Count > 0);

    /// <summary>One line per file the sync added or changed in D, for the run log and output.</summary>
    public IReadOnlyList<string> Changes =>
        Create.Update is not { } update
            ? []
            : [.. update.Changed.Select(f => $"changed {f} (previous kept as {f}.bak)"), .. update.Added.Select(f => $"added {f}")];

    /// <summary>
    /// The overrides as image pins (stack image → image) for ApplyOptions.ImagePins. A pin replaces an image wherever
    /// it is used: see <see cref="SharedImageWarnings"/>. Two different overrides for services sharing one stack image
    /// cannot be pins and throw (InvalidInput).
    /// </summary>
    public IReadOnlyDictionary<string, string> ImagePins()
    {
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

    /// <summary>Services not named by an --image that get its image anyway because they run the same stack image.</summary>
    public IReadOnlyList<string> SharedImageWarnings()
    {
        var warnings = new List<string>();
        var named = ImageOverrides.Select(o => o.Service).ToHashSet(StringComparer.Ordinal);
        foreach (var o in ImageOverrides)
        {
            var sharing = Services.Where(s => s.Image == o.StackImage && !named.Contains(s.Service)).Select(s => s.Service).Distinct().Order(StringComparer.Ordinal).ToList();
            if (sharing.Count > 0)
            {
                warnings.Add($"--image {o.Service}={o.Image}: {string.Join(", ", sharing)} use{(sharing.Count == 1 ? "s" : "")} the same image {o.StackImage} and get{(sharing.Count == 1 ? "s" : "")} {o.Image} too");
            }
        }

        return warnings;
    }
}

/// <summary>
/// The sync half of GitOps restart: re-renders D from the git-tracked spec (<c>spec-source</c> in deployment.yml)
/// with exactly the code of <c>deploy create --update</c>, after checking the run's <c>--image</c> overrides against a
/// dry render, so a bad override or spec fails before D changes. The spec is never regenerated from defaults; without
/// a spec-source there is nothing to sync from.
/// </summary>
public sealed class SourceSync(SlipwayEnvironment env)
{
    public async Task<SyncResult> SyncAsync(Deployment deployment, IReadOnlyList<ServiceImageOverride> imageOverrides, CancellationToken cancellationToken)
    {
        var directory = deployment.Layout.Directory;
        if (deployment.Identity.SpecSource is not { } specFile)
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

        var duplicate = imageOverrides.GroupBy(o => o.Service, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new SlipwayException(FailureReason.InvalidInput, $"--image names service '{duplicate.Key}' more than once", "give one --image per service");
        }

        var create = new DeployCreate(env);
        var request = new CreateRequest { SpecFile = specFile, DeploymentDirectory = directory, Update = true };
        var preview = await create.RunAsync(request with { DryRun = true }, cancellationToken);
        var services = ServiceImages(preview.Rendered);
        var applied = ResolveOverrides(services, imageOverrides);

        var result = await create.RunAsync(request, cancellationToken);
        return new SyncResult(Deployment.Open(directory), specFile, result, applied, ServiceImages(result.Rendered));
    }

    /// <summary>Every service of the rendered pod files with its image (services without one are left out).</summary>
    public static IReadOnlyList<ServiceImage> ServiceImages(RenderedDeployment rendered)
    {
        var services = new List<ServiceImage>();
        foreach (var file in rendered.Files.Where(f => f.RelativePath.StartsWith("compose/", StringComparison.Ordinal)))
        {
            var root = YamlDocuments.Load(System.Text.Encoding.UTF8.GetString(file.Content), file.RelativePath, new DiagnosticBag()) as YamlMappingNode;
            if (root?.Children.TryGetValue(new YamlScalarNode("services"), out var node) != true || node is not YamlMappingNode map) continue;
            foreach (var (key, value) in map.Children)
            {
                if (key is YamlScalarNode { Value: { } name } && value is YamlMappingNode service
                    && service.Children.TryGetValue(new YamlScalarNode("image"), out var image) && image is YamlScalarNode { Value: { } reference })
                {
                    services.Add(new ServiceImage(name, file.RelativePath, reference));
                }
            }
        }

        return services;
    }

    private static List<AppliedImageOverride> ResolveOverrides(IReadOnlyList<ServiceImage> services, IReadOnlyList<ServiceImageOverride> overrides)
    {
        var applied = new List<AppliedImageOverride>();
        foreach (var o in overrides)
        {
            if (services.FirstOrDefault(s => s.Service == o.Service) is not { } match)
            {
                var names = services.Select(s => s.Service).ToList();
                throw new SlipwayException(FailureReason.InvalidInput, $"--image names service '{o.Service}', which no pod of the deployment runs",
                    DidYouMean.Hint(o.Service, names) ?? (names.Count == 0 ? null : "services: " + string.Join(", ", names)));
            }

            applied.Add(new AppliedImageOverride(o.Service, match.File, match.Image, o.Image));
        }

        return applied;
    }
}
