using Slipway.Core.Rendering.Swarm;

namespace Slipway.Infrastructure.Backends.Swarm;

/// <summary>The pure part of swarm's plan: the rendered stack against the live services and objects.</summary>
internal static class SwarmPlan
{
    public static IReadOnlyList<PlannedChange> Compare(IReadOnlyList<SwarmStackRenderer.StackService> wanted, IReadOnlyDictionary<string, string> pins,
        IReadOnlyList<SwarmService> live, IReadOnlySet<string> configs, IReadOnlySet<string> secrets)
    {
        var changes = new List<PlannedChange>();
        var running = live.ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (var service in wanted)
        {
            var image = ServicePin.Resolve(pins, service.Name, service.Image ?? "") ?? service.Image ?? "";
            var newObjects = service.Configs.Where(c => !configs.Contains(c)).Select(c => "config " + c)
                .Concat(service.Secrets.Where(s => !secrets.Contains(s)).Select(s => "secret " + s)).ToList();
            if (!running.TryGetValue(service.Name, out var now))
            {
                changes.Add(new PlannedChange("service", service.Name, "create", $"image {image}"));
                continue;
            }

            var why = new List<string>();
            var liveImage = now.SpecImage.Split('@')[0];
            if (liveImage != image) why.Add($"image {liveImage} → {image}");
            if (newObjects.Count > 0) why.Add("new " + string.Join(", ", newObjects));
            if (now.Definition is null) why.Add("the live service carries no definition digest (deployed before plan could compare); a start updates it");
            else if (now.Definition != service.Definition && newObjects.Count == 0) why.Add("definition changed (environment, ports, mounts, deploy settings)");
            changes.Add(why.Count == 0 ? new PlannedChange("service", service.Name, "unchanged") : new PlannedChange("service", service.Name, "update", string.Join("; ", why)));
        }

        var names = wanted.Select(w => w.Name).ToHashSet(StringComparer.Ordinal);
        changes.AddRange(live.Where(l => !names.Contains(l.Name)).Select(l => new PlannedChange("service", l.Name, "remove", "no longer in the stack file (--prune)")));
        foreach (var config in wanted.SelectMany(w => w.Configs).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            changes.Add(new PlannedChange("config", config, configs.Contains(config) ? "unchanged" : "create", configs.Contains(config) ? "reused" : "new version"));
        }

        foreach (var secret in wanted.SelectMany(w => w.Secrets).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            changes.Add(new PlannedChange("secret", secret, secrets.Contains(secret) ? "unchanged" : "create", secrets.Contains(secret) ? "reused" : "new version"));
        }

        return changes;
    }
}
