using System.Text.Json;
using Slipway.Core;
using Slipway.Core.Diagnostics;

namespace Slipway.Infrastructure.Backends.Kubernetes;

/// <summary>
/// Which deployment directory a namespace belongs to: the owner annotation the Namespace object carries (laconic-so's
/// own annotation is read too), so that two deployments never mix and prune each other's objects.
/// </summary>
internal sealed class NamespaceOwnership(KubernetesTarget target)
{
    /// <summary>
    /// Refuses a namespace another deployment directory owns (naming the spec's namespace: override); an existing
    /// namespace without an owner is adopted (the apply sets the annotation, which the Namespace object carries).
    /// Returns the live namespace, or null when it does not exist.
    /// </summary>
    public async Task<JsonElement?> CheckAsync(string ns, Action<string>? progress, CancellationToken cancellationToken)
    {
        var result = await target.Kubectl.RunAsync(["get", "namespace", ns, "-o", "json"], cancellationToken);
        if (Tools.Kubectl.IsNotFound(result)) return null;
        if (!result.Succeeded) throw Tools.Kubectl.Failure($"get namespace {ns}", result, FailureReason.DeploymentFailed, target.ConnectionHint());
        var root = JsonDocument.Parse(result.StandardOutput.Trim() is { Length: > 0 } json ? json : "{}").RootElement.Clone();
        var owner = OwnerOf(root);
        if (owner is null)
        {
            progress?.Invoke($"adopting the existing namespace {ns} (it had no owner)");
            return root;
        }

        if (!SameDirectory(owner, target.Directory))
        {
            throw new SlipwayException(FailureReason.Conflict,
                $"namespace '{ns}' is already owned by the deployment at {owner}; deploying {target.Directory} there would mix and prune each other's objects",
                $"give this deployment its own namespace: set 'namespace: {ns}-2' (any unused name) in the spec, then run 'slipway deploy create --update'");
        }

        return root;
    }

    /// <summary>True when the live namespace carries Slipway's own owner annotation (so it is this deployment's to delete).</summary>
    public static bool HasSlipwayOwner(JsonElement live) => Annotation(live, SlipwayLabels.OwnerAnnotation) is not null;

    /// <summary>Deployment directories other than this one that own a namespace in the cluster.</summary>
    public async Task<IReadOnlyList<string>> OtherOwnersAsync(CancellationToken cancellationToken)
    {
        var result = await target.Kubectl.RequireAsync("get namespaces", ["get", "namespaces", "-o", "json"], cancellationToken);
        return KubernetesTarget.Items(result.StandardOutput)
            .Select(OwnerOf)
            .OfType<string>()
            .Where(owner => !SameDirectory(owner, target.Directory))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static string? OwnerOf(JsonElement item) => Annotation(item, SlipwayLabels.OwnerAnnotation) ?? Annotation(item, SlipwayLabels.LaconicOwnerAnnotation);

    private static string? Annotation(JsonElement item, string key) =>
        item.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("annotations", out var annotations)
        && annotations.ValueKind == JsonValueKind.Object && annotations.TryGetProperty(key, out var value) ? value.GetString() : null;

    private static bool SameDirectory(string a, string b) => string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.Ordinal);
}
