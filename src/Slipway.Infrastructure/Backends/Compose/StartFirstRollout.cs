using System.Globalization;
using Slipway.Core.Diagnostics;
using Slipway.Core.Verification;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Backends.Compose;

/// <summary>
/// rollout.strategy start-first on one Docker host. For each service whose running containers are not at the
/// configuration the apply brings (compose's config hash): compose creates the new containers beside them without
/// recreating them; they start hidden (on the networks under their own names, not the service's, so no client of the
/// stack reaches them yet), must pass their healthcheck and then the spec's verify checks (probed on their own
/// published ports); then they are attached under the service's name, and only then the old ones leave: attached again
/// under their own names only (out of the service's DNS name, so no new request reaches them, at the same address, so
/// requests on their way still do), a short drain, a stop with their own grace period, removal. When the new containers fail,
/// they are removed and the old ones keep serving untouched. The apply's plain <c>compose up</c> after this finds the
/// service at its configuration and leaves it alone.
/// </summary>
internal sealed class StartFirstRollout(DockerCompose compose, IContainerStartTimes startTimes, TimeProvider clock)
{
    /// <summary>How long a new container without a health check must stay up to count as ready: verify's rule (<see cref="Pipeline.HealthWait"/>).</summary>
    public TimeSpan Settle { get; init; } = Pipeline.HealthWait.DefaultSettle;

    /// <summary>
    /// How long an old container keeps serving after it left the service's name, for requests already on their way: past
    /// the 1 s TCP retransmission of a connection attempt sent while it was being attached again.
    /// </summary>
    public static readonly TimeSpan Drain = TimeSpan.FromSeconds(1.5);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    private const string HashLabel = "com.docker.compose.config-hash";

    private Docker Docker => compose.Docker;

    /// <summary>Rolls each of <paramref name="services"/> that needs it; returns those it rolled (already at their configuration afterwards).</summary>
    public async Task<IReadOnlyList<string>> RunAsync(IReadOnlyList<string> files, IReadOnlyCollection<string> services, ApplyOptions options, CancellationToken cancellationToken)
    {
        if (services.Count == 0) return [];
        var deadline = options.Deadline ?? clock.GetUtcNow() + options.WaitTimeout;
        var progress = options.Progress ?? (_ => { });
        var hashes = await ConfigHashesAsync(files, services, cancellationToken);
        var rolled = new List<string>();
        foreach (var service in services.Order(StringComparer.Ordinal))
        {
            if (!hashes.TryGetValue(service, out var wanted)) continue;
            var containers = await ContainersAsync(service, cancellationToken);

            // A cutover killed half-way leaves new containers beside the old ones: they go, and the cutover starts over.
            var stale = containers.Where(c => c.Hash == wanted).ToList();
            var old = containers.Where(c => c.Hash != wanted).ToList();
            if (old.Count == 0 && !options.ForceRecreate) continue;
            if (old.Count == 0) (old, stale) = (stale, []);
            if (old.Any(c => c.State != "running")) continue; // nothing to keep serving: compose's own recreate is as good
            if (stale.Count > 0) await RemoveAsync(stale.Select(c => c.Id), cancellationToken);

            progress($"start-first {service}: starting {old.Count} new container(s) beside the old");
            await RollAsync(files, service, old, deadline, options, progress, cancellationToken);
            rolled.Add(service);
        }

        return rolled;
    }

    private async Task RollAsync(IReadOnlyList<string> files, string service, IReadOnlyList<Container> old, DateTimeOffset deadline, ApplyOptions options,
        Action<string> progress, CancellationToken cancellationToken)
    {
        var oldIds = old.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var scale = (old.Count * 2).ToString(CultureInfo.InvariantCulture);
        var up = await Docker.RunAsync(compose.Arguments(files, "up", "--no-start", "--no-deps", "--no-recreate", "--scale", $"{service}={scale}", service),
            cancellationToken, Remaining(deadline) + TimeSpan.FromMinutes(1), progress);
        var fresh = (await ContainersAsync(service, cancellationToken)).Where(c => !oldIds.Contains(c.Id)).ToList();
        var networks = new Dictionary<string, IReadOnlyList<(string Network, IReadOnlyList<string> Aliases)>>(StringComparer.Ordinal);
        if (up.Succeeded)
        {
            // Hidden until verified: on each network under its own name only, so the service's name still resolves
            // to the old containers alone while the new one starts, is health-checked and probed on its own port.
            foreach (var candidate in fresh)
            {
                networks[candidate.Id] = await NetworksAsync(candidate.Id, cancellationToken);
                await ReconnectAsync(candidate, networks[candidate.Id], hidden: true, cancellationToken);
            }

            up = await Docker.RunAsync(["start", .. fresh.Select(c => c.Id)], cancellationToken, TimeSpan.FromMinutes(2));
        }

        if (!up.Succeeded)
        {
            await RemoveAsync(fresh.Select(c => c.Id), cancellationToken);
            throw Failed(service, $"could not be started (exit code {up.ExitCode}):\n{up.Tail()}", FailureReason.DeploymentFailed);
        }

        string? failure = await WaitHealthyAsync(fresh, deadline, progress, cancellationToken);
        if (failure is null && options.CheckCandidate is { } check)
        {
            foreach (var candidate in fresh)
            {
                progress($"start-first {service}: verify checks on {candidate.Name}");
                var verdict = await check(service, (c, ct) => AddressAsync(candidate, c, ct), Remaining(deadline), cancellationToken);
                if (!verdict.Passed)
                {
                    failure = $"failed its verify check: {verdict.Detail}";
                    break;
                }
            }
        }

        if (failure is not null)
        {
            await RemoveAsync(fresh.Select(c => c.Id), cancellationToken);
            throw Failed(service, failure, FailureReason.VerifyTimeout);
        }

        progress($"start-first {service}: new container(s) ready; serving them and taking the old one(s) out");
        foreach (var candidate in fresh) await ReconnectAsync(candidate, networks[candidate.Id], hidden: false, cancellationToken);
        // The old ones leave the service's name but stay reachable: attached again hidden (own name only). Detached
        // outright, a client that had just resolved an old address would send into the void and hang (seen under load:
        // one request of ~100 timed out). The engine hands the freed address straight back (lowest free; the MAC follows
        // the address), so requests already on their way are answered during the drain.
        foreach (var container in old)
        {
            var before = await NetworksAsync(container.Id, cancellationToken);
            var addresses = await AddressesAsync(container.Id, cancellationToken);
            await ReconnectAsync(container, before, hidden: true, cancellationToken);
            var after = await AddressesAsync(container.Id, cancellationToken);
            foreach (var (network, address) in addresses.Where(a => after.GetValueOrDefault(a.Key) != a.Value))
            {
                progress($"start-first {service}: {container.Name} came back on {network} as {after.GetValueOrDefault(network) ?? "nothing"}, not {address}: requests already sent to {address} may fail");
            }
        }

        await Task.Delay(Drain, clock, cancellationToken);
        var ids = old.Select(c => c.Id).ToList();
        var stop = await Docker.RunAsync(["stop", .. ids], cancellationToken, TimeSpan.FromMinutes(5));
        var rm = await Docker.RunAsync(["rm", "--force", .. ids], cancellationToken, TimeSpan.FromMinutes(1));
        if (!stop.Succeeded && !rm.Succeeded) throw Docker.Failure($"removing the old containers of {service}", rm, FailureReason.DeploymentFailed);
    }

    /// <summary>Each network the container is attached to, with the DNS aliases compose gave it there.</summary>
    private async Task<IReadOnlyList<(string Network, IReadOnlyList<string> Aliases)>> NetworksAsync(string id, CancellationToken cancellationToken)
    {
        var result = await Docker.InspectAsync("{{json .NetworkSettings.Networks}}", id, cancellationToken);
        if (!result.Succeeded) throw Docker.Failure("docker inspect", result, FailureReason.DeploymentFailed);
        using var json = System.Text.Json.JsonDocument.Parse(result.StandardOutput);
        return json.RootElement.EnumerateObject().Select(n => (n.Name, (IReadOnlyList<string>)(n.Value.TryGetProperty("Aliases", out var aliases)
                && aliases.ValueKind == System.Text.Json.JsonValueKind.Array ? aliases.EnumerateArray().Select(a => a.GetString() ?? "").Where(a => a.Length > 0).ToList() : [])))
            .ToList();
    }

    /// <summary>network → the container's IPv4 address there.</summary>
    private async Task<Dictionary<string, string>> AddressesAsync(string id, CancellationToken cancellationToken)
    {
        var result = await Docker.InspectAsync("{{json .NetworkSettings.Networks}}", id, cancellationToken);
        if (!result.Succeeded) throw Docker.Failure("docker inspect", result, FailureReason.DeploymentFailed);
        using var json = System.Text.Json.JsonDocument.Parse(result.StandardOutput);
        return json.RootElement.EnumerateObject().ToDictionary(n => n.Name,
            n => n.Value.TryGetProperty("IPAddress", out var ip) ? ip.GetString() ?? "" : "", StringComparer.Ordinal);
    }

    /// <summary>Attaches the container to its networks again: hidden, under its own name only; else with every alias compose gave it.</summary>
    private async Task ReconnectAsync(Container container, IReadOnlyList<(string Network, IReadOnlyList<string> Aliases)> networks, bool hidden, CancellationToken cancellationToken)
    {
        foreach (var (network, aliases) in networks)
        {
            var keep = hidden ? aliases.Where(a => a == container.Name) : aliases;
            await Docker.RunAsync(["network", "disconnect", network, container.Id], cancellationToken, TimeSpan.FromSeconds(30));
            var connect = await Docker.RunAsync(["network", "connect", .. keep.SelectMany(a => new[] { "--alias", a }), network, container.Id], cancellationToken, TimeSpan.FromSeconds(30));
            if (!connect.Succeeded) throw Docker.Failure($"docker network connect {network}", connect, FailureReason.DeploymentFailed);
        }
    }

    /// <summary>
    /// Null once every container runs and is healthy, or has no healthcheck and has stayed up <see cref="Settle"/> since
    /// its last start (one that exits a second after it started was "running" when first looked at); else why it failed.
    /// </summary>
    private async Task<string?> WaitHealthyAsync(IReadOnlyList<Container> fresh, DateTimeOffset deadline, Action<string> progress, CancellationToken cancellationToken)
    {
        if (fresh.Count == 0) return "was not created (compose started no new container)";
        var last = "";
        while (true)
        {
            var waiting = new List<string>();
            var ready = new List<ServiceState>();
            foreach (var container in fresh)
            {
                var state = await Docker.InspectAsync("{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}", container.Id, cancellationToken);
                var words = state.StandardOutput.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var status = words.ElementAtOrDefault(0) ?? "gone";
                var health = words.ElementAtOrDefault(1);
                var condition = state.Succeeded ? DockerPs.ConditionOf(status, health) : ServiceCondition.Failed;
                if (condition == ServiceCondition.Failed) return $"{container.Name} is {(health ?? status)}{await LastHealthOutputAsync(container, cancellationToken)}";
                if (condition != ServiceCondition.Ready) waiting.Add($"{container.Name} ({health ?? status})");
                else ready.Add(new ServiceState(container.Name, container.Name, container.Id, status, health, []));
            }

            if (waiting.Count == 0) waiting = await Pipeline.HealthWait.JustStartedAsync(startTimes, ready, Settle, clock, cancellationToken);
            if (waiting.Count == 0) return null;
            var line = "start-first: waiting for " + string.Join(", ", waiting);
            if (line != last) progress(last = line);
            if (clock.GetUtcNow() + Poll >= deadline) return $"did not become healthy within the rollout timeout: {string.Join(", ", waiting)}";
            await Task.Delay(Poll, clock, cancellationToken);
        }
    }

    private async Task<string> LastHealthOutputAsync(Container container, CancellationToken cancellationToken)
    {
        var log = await Docker.InspectAsync("{{if .State.Health}}{{range .State.Health.Log}}{{.ExitCode}}: {{.Output}}\n{{end}}{{else}}exit code {{.State.ExitCode}}{{end}}", container.Id, cancellationToken);
        var lastLine = log.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        return lastLine is null ? "" : $" (last health check: {lastLine})";
    }

    /// <summary>The candidate's own published address for the check's container port (its only TCP port when the check names none).</summary>
    private async Task<string> AddressAsync(Container candidate, VerifyCheck check, CancellationToken cancellationToken)
    {
        var result = await Docker.RunAsync(["port", candidate.Id], cancellationToken, TimeSpan.FromSeconds(30));
        var ports = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(" -> ", 2))
            .Where(parts => parts.Length == 2 && parts[0].EndsWith("/tcp", StringComparison.Ordinal))
            .Select(parts => (Target: parts[0][..^4], Address: parts[1]))
            .ToList();
        var targets = ports.Select(p => p.Target).Distinct(StringComparer.Ordinal).ToList();
        var target = check.Port?.ToString(CultureInfo.InvariantCulture) ?? (targets.Count == 1 ? targets[0] : null);
        var address = ports.FirstOrDefault(p => p.Target == target).Address;
        return address ?? throw new SlipwayException(FailureReason.NotFound,
            $"the new container {candidate.Name} publishes {(target is null ? (targets.Count == 0 ? "no port" : "ports " + string.Join(", ", targets) + ": give the check a 'port'") : $"no port {target}")}");
    }

    private async Task RemoveAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var list = ids.ToList();
        if (list.Count > 0) await Docker.RunAsync(["rm", "--force", .. list], cancellationToken, TimeSpan.FromMinutes(1));
    }

    private SlipwayException Failed(string service, string why, FailureReason reason) => new(reason,
        $"start-first {service}: the new container {why}; it was removed and the old container keeps serving",
        "see the new container's health and logs in the run log; fix the release and start again");

    private TimeSpan Remaining(DateTimeOffset deadline)
    {
        var left = deadline - clock.GetUtcNow();
        return left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1);
    }

    /// <summary>compose's config hash of each service as this apply would create it.</summary>
    private async Task<Dictionary<string, string>> ConfigHashesAsync(IReadOnlyList<string> files, IReadOnlyCollection<string> services, CancellationToken cancellationToken)
    {
        var result = await Docker.RunAsync(compose.Arguments(files, "config", "--hash", string.Join(',', services)), cancellationToken, TimeSpan.FromMinutes(1));
        if (!result.Succeeded) throw DockerCompose.Failure("config --hash", result, FailureReason.DeploymentFailed);
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ', 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2) hashes[parts[0]] = parts[1];
        }

        return hashes;
    }

    private async Task<IReadOnlyList<Container>> ContainersAsync(string service, CancellationToken cancellationToken)
    {
        var result = await Docker.RunAsync(["ps", "--all", "--no-trunc",
            "--filter", $"label=com.docker.compose.project={compose.Project.Name}", "--filter", $"label=com.docker.compose.service={service}",
            "--filter", "label=com.docker.compose.oneoff=False",
            "--format", "{{.ID}}\t{{.State}}\t{{.Label \"" + HashLabel + "\"}}\t{{.Names}}"], cancellationToken, TimeSpan.FromSeconds(30));
        if (!result.Succeeded) throw Docker.Failure("docker ps", result, FailureReason.DeploymentFailed);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t'))
            .Where(parts => parts.Length == 4)
            .Select(parts => new Container(parts[0], parts[1], parts[2], parts[3]))
            .ToList();
    }

    private sealed record Container(string Id, string State, string Hash, string Name);
}
