using Slipway.Core.Compose;
using Slipway.Core.Diagnostics;
using Slipway.Core.Verification;
using Slipway.Core.Yaml;

namespace Slipway.Core.Deployments;

/// <summary>How a compose deployment replaces each service's containers: the services started first, and why others are not.</summary>
/// <param name="StartFirst">Services whose new container starts beside the old one, which goes only once the new one is healthy and verified.</param>
/// <param name="Problems">Errors (start-first asked of a service that cannot run twice) and warnings (a service kept stop-first).</param>
public sealed record RolloutPlan(IReadOnlySet<string> StartFirst, IReadOnlyList<Diagnostic> Problems)
{
    public static readonly RolloutPlan AllStopFirst = new(new HashSet<string>(), []);

    /// <summary>
    /// The plan for <paramref name="services"/> (every definition of each, from the pod files and overrides) under the
    /// spec's <paramref name="rollout"/>. stop-first: every service stop-first, no problems. start-first: each service
    /// starts first unless it cannot run twice (a fixed host port, host networking, a container_name: an error, the
    /// operator must change the service or the strategy) or it mounts a data volume not listed in
    /// <c>rollout.volume-safe</c> (a warning: it stays stop-first, two writers on one volume can corrupt it).
    /// </summary>
    public static RolloutPlan For(IReadOnlyList<ComposeService> services, RolloutSettings rollout)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(rollout);
        var problems = new List<Diagnostic>();
        var names = services.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var unknown in rollout.VolumeSafe.Where(v => !names.Contains(v.Value)))
        {
            problems.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue, $"rollout.volume-safe names service '{unknown.Value}', which the deployment does not have",
                unknown.Location, DidYouMean.Hint(unknown.Value, names) ?? "services: " + string.Join(", ", names.Order(StringComparer.Ordinal))));
        }

        if (rollout.Strategy == RolloutStrategy.StopFirst) return new RolloutPlan(new HashSet<string>(), problems);
        var safe = rollout.VolumeSafe.Select(v => v.Value).ToHashSet(StringComparer.Ordinal);
        var startFirst = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in services.GroupBy(s => s.Name, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var name = group.Key;
            var at = group.First().Location;
            var fixedPorts = group.SelectMany(s => s.Ports).Where(IsFixed).Select(p => p.Published!.ToString()).Distinct().ToList();
            var why = fixedPorts.Count > 0 ? $"it publishes fixed host port{(fixedPorts.Count == 1 ? "" : "s")} {string.Join(", ", fixedPorts)}, which two containers cannot bind at once"
                : group.Any(s => s.NetworkMode == "host") ? "it uses the host's network (network_mode: host), where two containers would listen on the same ports"
                : group.FirstOrDefault(s => s.ContainerName is not null) is { } named ? $"it has container_name '{named.ContainerName}', which two containers cannot share"
                : null;
            if (why is not null)
            {
                problems.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue, $"rollout.strategy is start-first, but service '{name}' cannot run a new container beside the old one: {why}",
                    rollout.Location ?? at, "publish no host port and reach it through the stack's network or a proxy in front of it, let the engine pick the host port "
                    + "('80' instead of '8080:80'), or set rollout.strategy: stop-first"));
                continue;
            }

            var data = group.SelectMany(s => s.Mounts.Where(m => IsData(m, s))).Select(m => m.Source ?? m.Target).Distinct(StringComparer.Ordinal).ToList();
            if (data.Count > 0 && !safe.Contains(name))
            {
                problems.Add(Diagnostic.Warning(DiagnosticCodes.InvalidValue,
                    $"service '{name}' mounts {string.Join(", ", data)}: it stays stop-first (two containers writing one volume at once can corrupt it)",
                    at, $"list it under rollout.volume-safe when two containers may share its volumes"));
                continue;
            }

            startFirst.Add(name);
        }

        return new RolloutPlan(startFirst, problems);
    }

    /// <summary>A published port the engine does not choose: a given host port, or a range with as many ports as targets.</summary>
    public static bool IsFixed(PortSpec port)
    {
        ArgumentNullException.ThrowIfNull(port);
        return port.Published is { } published && published.Start != 0 && !(port.Target.IsSingle && !published.IsSingle);
    }

    /// <summary>A named volume, or a writable bind that is not one of the stack's config files or folders.</summary>
    private static bool IsData(ServiceMount mount, ComposeService service) =>
        mount.Kind == MountKind.Volume
        || mount.Kind == MountKind.Bind && !mount.ReadOnly && !service.ConfigSources.Any(c => c.Source == mount.Source);
}
