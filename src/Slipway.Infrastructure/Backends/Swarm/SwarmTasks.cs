using System.Globalization;
using System.Text.Json;
using Slipway.Core.Rendering.Swarm;

namespace Slipway.Infrastructure.Backends.Swarm;

/// <summary>One service of the stack as <c>docker service inspect</c> gives it.</summary>
internal sealed record SwarmService(string FullName, string Name, int Replicas, string? UpdateState, string? UpdateMessage, IReadOnlyList<PublishedPort> Ports, string SpecImage)
{
    /// <summary>The service's <see cref="SwarmStackRenderer.DefinitionLabel"/>: the digest of the definition it was deployed from.</summary>
    public string? Definition { get; init; }
}

/// <summary>Reads <c>docker service inspect</c> and <c>docker service ps</c> (JSON lines) into services and convergence.</summary>
internal static class SwarmTasks
{
    public static IReadOnlyList<SwarmService> ParseServices(string stack, string inspectLines)
    {
        var services = new List<SwarmService>();
        foreach (var line in inspectLines.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var spec = root.GetProperty("Spec");
            var full = spec.GetProperty("Name").GetString() ?? "";
            var replicas = spec.TryGetProperty("Mode", out var mode) && mode.TryGetProperty("Replicated", out var replicated) && replicated.TryGetProperty("Replicas", out var r) ? r.GetInt32() : 1;
            string? state = null, message = null;
            if (root.TryGetProperty("UpdateStatus", out var update) && update.ValueKind == JsonValueKind.Object)
            {
                state = update.TryGetProperty("State", out var s) ? s.GetString() : null;
                message = update.TryGetProperty("Message", out var m) ? m.GetString() : null;
            }

            var ports = new List<PublishedPort>();
            if (root.TryGetProperty("Endpoint", out var endpoint) && endpoint.TryGetProperty("Ports", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var p in list.EnumerateArray())
                {
                    ports.Add(new PublishedPort("", p.TryGetProperty("PublishedPort", out var pub) ? pub.GetInt32() : 0, p.GetProperty("TargetPort").GetInt32(),
                        p.TryGetProperty("Protocol", out var proto) ? proto.GetString() ?? "tcp" : "tcp"));
                }
            }

            var image = spec.GetProperty("TaskTemplate").GetProperty("ContainerSpec").GetProperty("Image").GetString() ?? "";
            var definition = spec.TryGetProperty("Labels", out var labels) && labels.ValueKind == JsonValueKind.Object && labels.TryGetProperty(SwarmStackRenderer.DefinitionLabel, out var d) ? d.GetString() : null;
            services.Add(new SwarmService(full, full.StartsWith(stack + "_", StringComparison.Ordinal) ? full[(stack.Length + 1)..] : full, replicas, state, message, ports, image)
            {
                Definition = definition,
            });
        }

        return services.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The newest task of each slot is the service's state there: running is ready, rejected or failed is failed (with
    /// its error), anything else is on its way. A service converges when as many slots run as it has replicas, and no
    /// update is still going on; a paused update (failure_action: pause) failed. A task on a node that is down
    /// (<paramref name="onDownNodes"/>: task ID → node) is neither ready nor failed: the manager only knows its last state,
    /// and an update waiting for it waits until swarm reschedules or the node returns. While a service has not converged,
    /// every task of it on a down node that the manager has not seen end (the slot's newest, or an older one a stop-first
    /// update waits to see stopped) gets a pending line naming the node; once it has converged, such leftovers say nothing.
    /// </summary>
    public static HealthSnapshot Snapshot(string stack, IReadOnlyList<SwarmService> services, string psLines, IReadOnlyDictionary<string, string>? onDownNodes = null)
    {
        var states = new List<ServiceState>();
        var newest = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var all = new List<(string Slot, JsonElement Task)>();
        foreach (var line in psLines.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var task = JsonDocument.Parse(line).RootElement;
            // docker service ps lists each slot's current task first, then its history as " \_ NAME".
            var name = Text(task, "Name").TrimStart();
            var history = name.StartsWith(@"\_", StringComparison.Ordinal);
            var slot = history ? name[2..].TrimStart() : name;
            all.Add((slot, task));
            if (!history) newest.TryAdd(slot, task);
        }

        var pending = new List<string>();
        var failed = new List<string>();
        var nodeDown = new List<string>();
        foreach (var service in services)
        {
            bool Ours(string slot) => slot.StartsWith(service.FullName + ".", StringComparison.Ordinal);
            var tasks = newest.Where(t => Ours(t.Key)).OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
            var running = 0;
            foreach (var (name, task) in tasks)
            {
                var current = Text(task, "CurrentState");
                var desired = Text(task, "DesiredState");
                var word = current.Split(' ', 2)[0].ToLowerInvariant();
                var error = Text(task, "Error");
                var id = Text(task, "ID");
                string? downNode = null;
                var lost = desired == "Running" && onDownNodes is not null && onDownNodes.TryGetValue(id, out downNode);
                var condition = lost ? ServiceCondition.Starting
                    : word == "running" && desired == "Running" ? ServiceCondition.Ready
                    : word is "rejected" or "failed" ? ServiceCondition.Failed
                    : ServiceCondition.Starting;
                if (condition == ServiceCondition.Ready) running++;
                if (desired == "Shutdown" && condition != ServiceCondition.Failed) continue; // an old task on its way out
                if (lost)
                {
                    word = "node-down";
                    error = $"node {downNode} is down; last known state: {current}";
                }

                states.Add(new ServiceState(service.Name, name, id[..Math.Min(12, id.Length)], word, error.Length == 0 ? null : error, service.Ports) { Condition = condition });
                if (condition == ServiceCondition.Failed) failed.Add($"{service.Name}: task {name} {word}: {(error.Length == 0 ? current : error)}");
            }

            string? waiting = null;
            if (service.UpdateState is "paused" or "rollback_paused") failed.Add($"{service.Name}: update {service.UpdateState}: {service.UpdateMessage}");
            else if (service.UpdateState is "updating" or "rollback_started") waiting = $"{service.Name} (updating)";
            else if (running < service.Replicas) waiting = $"{service.Name} ({running.ToString(CultureInfo.InvariantCulture)}/{service.Replicas.ToString(CultureInfo.InvariantCulture)} running)";
            if (waiting is null) continue;
            pending.Add(waiting);
            if (onDownNodes is null) continue;
            foreach (var (slot, task) in all.Where(t => Ours(t.Slot)).OrderBy(t => t.Slot, StringComparer.Ordinal))
            {
                var word = Text(task, "CurrentState").Split(' ', 2)[0].ToLowerInvariant();
                if (!onDownNodes.TryGetValue(Text(task, "ID"), out var node) || Ended.Contains(word)) continue;
                var line = $"{service.Name}: task {slot} is on node {node}, which is down";
                if (!nodeDown.Contains(line)) nodeDown.Add(line);
            }
        }

        pending.AddRange(nodeDown);

        return new HealthSnapshot(states.OrderBy(s => s.Service, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal).ToList(), pending, failed.Distinct().ToList());
    }

    /// <summary>Task states the manager has seen a task reach for good (a task in any other state on a down node may still hold its slot).</summary>
    private static readonly HashSet<string> Ended = new(StringComparer.Ordinal) { "shutdown", "failed", "rejected", "complete", "orphaned", "remove" };

    private static string Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";
}
