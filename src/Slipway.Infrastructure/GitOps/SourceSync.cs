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

/// <param name="Deployment">D reopened after the sync (its config and stack are the new ones).</param>
/// <param name="SpecFile">The git-tracked spec D was synced from.</param>
/// <param name="Create">What <c>deploy create --update</c> did (files added, changed, backed up; warnings; hook output).</param>
public sealed record SyncResult(Deployment Deployment, string SpecFile, CreateResult Create, IReadOnlyList<AppliedImageOverride> ImageOverrides)
{
    /// <summary>True when the sync wrote any file into D (a restart with no change writes nothing).</summary>
    public bool Changed => Create.Update is { } update && (update.Added.Count > 0 || update.Changed.Count > 0);

    /// <summary>
    /// The overrides as image pins (stack image → image), for ApplyOptions.ImagePins. A pin replaces an image
    /// wherever it is used, so when another service runs the same stack image without the same override this throws
    /// (InvalidInput) rather than change a service nobody named; apply <see cref="ImageOverrides"/> per service instead.
    /// </summary>
    public IReadOnlyDictionary<string, string> ImagePins()
    {
        var pins = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in ImageOverrides.GroupBy(o => o.StackImage, StringComparer.Ordinal))
        {
            var images = group.Select(o => o.Image).Distinct(StringComparer.Ordinal).ToList();
            var named = group.Select(o => o.Service).ToHashSet(StringComparer.Ordinal);
            var others = SourceSync.ServiceImages(Deployment).Where(s => s.Image == group.Key && !named.Contains(s.Service)).Select(s => s.Service).ToList();
            if (images.Count > 1 || others.Count > 0)
            {
                throw new SlipwayException(FailureReason.InvalidInput,
                    $"--image for {string.Join(", ", named.Order(StringComparer.Ordinal))} cannot be applied as an image pin: {group.Key} is also run by {string.Join(", ", others.Concat(named).Distinct().Order(StringComparer.Ordinal))}",
                    "give the same --image to every service running that image, or apply the overrides per service");
            }

            pins[group.Key] = images[0];
        }

        return pins;
    }
}

/// <summary>
/// The sync half of GitOps restart: re-renders D from the git-tracked spec (<c>spec-source</c> in deployment.yml)
/// with exactly the code of <c>deploy create --update</c>, then checks the run's <c>--image</c> overrides against
/// the result. The spec is never regenerated from defaults; without a spec-source there is nothing to sync from.
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

        var create = await new DeployCreate(env).RunAsync(new CreateRequest
        {
            SpecFile = specFile,
            DeploymentDirectory = directory,
            Update = true,
        }, cancellationToken);

        var synced = Deployment.Open(directory);
        return new SyncResult(synced, specFile, create, ResolveOverrides(synced, imageOverrides));
    }

    /// <summary>Every service of the deployment's pods with the image its rendered compose file gives it.</summary>
    public static IReadOnlyList<(string Service, string File, string Image)> ServiceImages(Deployment deployment)
    {
        var services = new List<(string, string, string)>();
        foreach (var file in deployment.PodComposeFiles.Where(File.Exists))
        {
            var root = YamlDocuments.Load(File.ReadAllText(file), file, new DiagnosticBag()) as YamlMappingNode;
            if (root?.Children.TryGetValue(new YamlScalarNode("services"), out var node) != true || node is not YamlMappingNode map) continue;
            foreach (var (key, value) in map.Children)
            {
                if (key is YamlScalarNode { Value: { } name } && value is YamlMappingNode service
                    && service.Children.TryGetValue(new YamlScalarNode("image"), out var image) && image is YamlScalarNode { Value: { } reference })
                {
                    services.Add((name, Path.GetRelativePath(deployment.Layout.Directory, file), reference));
                }
            }
        }

        return services;
    }

    private static List<AppliedImageOverride> ResolveOverrides(Deployment deployment, IReadOnlyList<ServiceImageOverride> overrides)
    {
        var services = ServiceImages(deployment);
        var applied = new List<AppliedImageOverride>();
        foreach (var o in overrides)
        {
            var match = services.FirstOrDefault(s => s.Service == o.Service);
            if (match.Service is null)
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
