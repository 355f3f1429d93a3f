using System.Globalization;
using System.Text;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Rendering.Swarm;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Files;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Backends.Swarm;

/// <summary>
/// Runs a deployment as a Docker Swarm stack named by its deployment-id, from D/swarm/stack.yml (rendered by deploy
/// create). Apply creates the config objects the file names (content-hashed, so only a changed file is a new object
/// and only its services roll), then <c>docker stack deploy --with-registry-auth --prune</c>; health is convergence:
/// every service's newest task per slot running at the new spec, a rejected or failed one or a paused update failing at
/// once. Rollback is the pipeline's: the previous revision's stack file (and so its config names) deployed as one unit.
/// </summary>
internal sealed class SwarmBackend : IDeploymentBackend, IVolumeStorageBackend
{
    private readonly DeploymentSession _session;

    public SwarmBackend(DeploymentSession session, Docker docker)
    {
        _session = session;
        Docker = docker.Bound(session.Layout.Directory, new Dictionary<string, string?>(), session.SecretValues);
    }

    public Docker Docker { get; }

    /// <summary>The stack's namespace: the deployment-id.</summary>
    public string Stack => _session.Identity.DeploymentId;

    public string StackFile => Path.Combine(_session.Layout.Directory, SwarmStackRenderer.StackPath);

    /// <summary>Where the image pins of the last apply are written, as a second stack file.</summary>
    public string ImagePinsFile => Path.Combine(_session.Layout.State, "swarm-images.yml");

    public IReadOnlyDictionary<string, string> ServiceImages => _session.ServiceImages;

    /// <summary>Pulls (compose) and --with-registry-auth (swarm) use the docker CLI's login.</summary>
    public bool PullsWithDockerLogin => true;

    /// <summary>A poll is three quick calls to the manager: every 250 ms, convergence is seen about as soon as a raw wait sees it.</summary>
    public TimeSpan? HealthPollInterval => TimeSpan.FromMilliseconds(250);

    public IReadOnlyList<string> PinKeys(string stackImage) => [stackImage];

    public async Task ApplyAsync(ApplyOptions options, CancellationToken cancellationToken)
    {
        if (!File.Exists(StackFile))
        {
            throw new SlipwayException(FailureReason.NotFound, $"{StackFile} is missing", "run 'deploy create --update' to render the stack file");
        }

        try
        {
            await CreateConfigsAsync(cancellationToken);
            await CreateSecretsAsync(cancellationToken);
        }
        catch (SlipwayException)
        {
            // Asked only when something failed (one call less on every apply): not a manager says why, plainly.
            await RequireSwarmAsync(cancellationToken);
            throw;
        }

        var args = new List<string> { "stack", "deploy", "--with-registry-auth", "--prune", "--resolve-image", "never", "--compose-file", StackFile };
        if (Compose.ComposePins.Override(_session, options.ImagePins) is { } pins)
        {
            AtomicFile.WriteText(ImagePinsFile, "version: \"3.8\"\n" + pins);
            args.AddRange(["--compose-file", ImagePinsFile]);
        }

        args.Add(Stack);
        var text = await File.ReadAllTextAsync(StackFile, cancellationToken);
        var result = await Docker.RunAsync(args, cancellationToken, TimeSpan.FromMinutes(5), options.Progress);
        if (!result.Succeeded)
        {
            await RequireSwarmAsync(cancellationToken);
            throw Docker.Failure("docker stack deploy", result, FailureReason.DeploymentFailed);
        }

        _deployed = [.. SwarmStackRenderer.Services(text).Select(s => s.Name)];
    }

    /// <summary>Each config object the stack file names, created from its file in D unless it exists (same name: same content).</summary>
    private async Task CreateConfigsAsync(CancellationToken cancellationToken)
    {
        var names = SwarmStackRenderer.ConfigNames(await File.ReadAllTextAsync(StackFile, cancellationToken));
        if (names.Count == 0) return;
        var existing = (await ListAsync("config", cancellationToken)).ToHashSet(StringComparer.Ordinal);
        foreach (var name in names.Where(n => !existing.Contains(n)))
        {
            var file = ConfigFileOf(name) ?? throw new SlipwayException(FailureReason.NotFound,
                $"{StackFile} names config {name}, but no file in {_session.Layout.Directory} has that content", "run 'deploy create --update' to render the stack file again");
            var create = await Docker.RunAsync(["config", "create", "--label", $"{SwarmStackRenderer.DeploymentLabel}={Stack}", name, file], cancellationToken, TimeSpan.FromMinutes(1));
            if (!create.Succeeded && !create.StandardError.Contains("already exists", StringComparison.Ordinal))
            {
                throw Docker.Failure($"docker config create {name}", create, FailureReason.DeploymentFailed);
            }
        }
    }

    /// <summary>Each secret object the stack file names, created from D/swarm/secrets/NAME unless it exists (same name: same content).</summary>
    private async Task CreateSecretsAsync(CancellationToken cancellationToken)
    {
        var names = SwarmStackRenderer.SecretNames(await File.ReadAllTextAsync(StackFile, cancellationToken));
        if (names.Count == 0) return;
        var existing = (await ListAsync("secret", cancellationToken)).ToHashSet(StringComparer.Ordinal);
        foreach (var name in names.Where(n => !existing.Contains(n)))
        {
            var file = Path.Combine(_session.Layout.Directory, SwarmStackRenderer.SecretsFolder, name);
            if (!File.Exists(file))
            {
                throw new SlipwayException(FailureReason.NotFound, $"{StackFile} names secret {name}, but {file} is missing",
                    "run 'deploy create --update' to render the stack file and its secrets again");
            }

            var create = await Docker.RunAsync(["secret", "create", "--label", $"{SwarmStackRenderer.DeploymentLabel}={Stack}", name, file], cancellationToken, TimeSpan.FromMinutes(1));
            if (!create.Succeeded && !create.StandardError.Contains("already exists", StringComparison.Ordinal))
            {
                throw Docker.Failure($"docker secret create {name}", create, FailureReason.DeploymentFailed);
            }
        }
    }

    /// <summary>The file in D whose content the config name's digest is (the renderer named it so).</summary>
    private string? ConfigFileOf(string name)
    {
        var config = Path.Combine(_session.Layout.Directory, "config");
        if (!Directory.Exists(config)) return null;
        return Directory.EnumerateFiles(config, "*", SearchOption.AllDirectories)
            .FirstOrDefault(f => SwarmStackRenderer.ConfigName(Stack, new Core.Deployments.RenderedFile(Path.GetRelativePath(_session.Layout.Directory, f).Replace('\\', '/'),
                File.ReadAllBytes(f))) == name);
    }

    /// <summary>This deployment's objects of a kind (<c>config</c> or <c>secret</c>), by the deployment label.</summary>
    private async Task<IReadOnlyList<string>> ListAsync(string kind, CancellationToken cancellationToken)
    {
        var result = await Docker.RunAsync([kind, "ls", "--filter", $"label={SwarmStackRenderer.DeploymentLabel}={Stack}", "--format", "{{.Name}}"], cancellationToken, TimeSpan.FromSeconds(30));
        if (!result.Succeeded) throw Docker.Failure($"docker {kind} ls", result, FailureReason.DeploymentFailed);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>
    /// After a good verify and the revision prune: removes this deployment's config and secret versions that neither D's
    /// stack file nor any kept revision's names. Returns the names removed, per kind.
    /// </summary>
    public async Task<(IReadOnlyList<string> Configs, IReadOnlyList<string> Secrets)> PruneAsync(IEnumerable<string> keptStackFiles, CancellationToken cancellationToken)
    {
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in keptStackFiles.Append(StackFile).Where(File.Exists))
        {
            var text = await File.ReadAllTextAsync(file, cancellationToken);
            keep.UnionWith(SwarmStackRenderer.ConfigNames(text));
            keep.UnionWith(SwarmStackRenderer.SecretNames(text));
        }

        // Side by side: every start's record waits for both lists.
        var configs = PruneKindAsync("config", keep, cancellationToken);
        var secrets = PruneKindAsync("secret", keep, cancellationToken);
        await Task.WhenAll(configs, secrets);
        return (await configs, await secrets);
    }

    private async Task<IReadOnlyList<string>> PruneKindAsync(string kind, HashSet<string> keep, CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        foreach (var name in (await ListAsync(kind, cancellationToken)).Where(n => !keep.Contains(n)))
        {
            // One a running task still uses cannot be removed; that is fine, the next prune takes it.
            if ((await Docker.RunAsync([kind, "rm", name], cancellationToken, TimeSpan.FromSeconds(30))).Succeeded) removed.Add(name);
        }

        return removed;
    }

    public async Task<string?> RecordedAsync(IReadOnlyList<string> keptRevisionFiles, CancellationToken cancellationToken)
    {
        var (configs, secrets) = await PruneAsync(keptRevisionFiles.Select(k => Path.Combine(k, SwarmStackRenderer.StackPath)), cancellationToken);
        var said = new List<string>();
        if (configs.Count > 0) said.Add($"pruned config version{(configs.Count == 1 ? "" : "s")} {string.Join(", ", configs)}");
        if (secrets.Count > 0) said.Add($"pruned secret version{(secrets.Count == 1 ? "" : "s")} {string.Join(", ", secrets)}");
        return said.Count == 0 ? null : string.Join("; ", said);
    }

    private async Task RequireSwarmAsync(CancellationToken cancellationToken)
    {
        var info = await Docker.RunAsync(["info", "--format", "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}"], cancellationToken, TimeSpan.FromSeconds(30));
        var words = info.StandardOutput.Trim().Split(' ');
        if (!info.Succeeded || words[0] != "active" || words.ElementAtOrDefault(1) != "true")
        {
            throw new SlipwayException(FailureReason.PrerequisiteMissing,
                info.Succeeded ? $"the Docker Engine is not a swarm manager (swarm state: {info.StandardOutput.Trim()})" : $"docker info failed: {info.Tail(3)}",
                "deploy-to: swarm drives a swarm manager: 'docker swarm init' on this host, or point DOCKER_HOST at a manager");
        }
    }

    /// <summary>
    /// What a start would change: D's stack file (with the run's image pins) against the live stack, service by service
    /// (the definition digest each service carries, and its image), and which config and secret versions it would create.
    /// docker stack deploy has no dry run: this reads, it never deploys.
    /// </summary>
    public async Task<IReadOnlyList<PlannedChange>> PlanAsync(ApplyOptions options, CancellationToken cancellationToken)
    {
        if (!File.Exists(StackFile))
        {
            throw new SlipwayException(FailureReason.NotFound, $"{StackFile} is missing", "run 'deploy create --update' to render the stack file");
        }

        await RequireSwarmAsync(cancellationToken);
        var text = await File.ReadAllTextAsync(StackFile, cancellationToken);
        return SwarmPlan.Compare(SwarmStackRenderer.Services(text), options.ImagePins, await ServicesAsync(cancellationToken),
            (await ListAsync("config", cancellationToken)).ToHashSet(StringComparer.Ordinal), (await ListAsync("secret", cancellationToken)).ToHashSet(StringComparer.Ordinal));
    }

    public async Task<StopOutcome> StopAsync(StopOptions options, CancellationToken cancellationToken)
    {
        var rm = await Docker.RunAsync(["stack", "rm", Stack], cancellationToken, TimeSpan.FromMinutes(2), options.Progress);
        if (!rm.Succeeded && !rm.StandardError.Contains("Nothing found in stack", StringComparison.Ordinal)) throw Docker.Failure("docker stack rm", rm, FailureReason.DeploymentFailed);

        // stack rm returns before the tasks' containers are gone; volumes in use cannot be removed, networks linger.
        for (var i = 0; i < 120; i++)
        {
            var left = await Docker.RunAsync(["ps", "--all", "--quiet", "--filter", $"label=com.docker.stack.namespace={Stack}"], cancellationToken, TimeSpan.FromSeconds(30));
            if (left.Succeeded && left.StandardOutput.Trim().Length == 0) break;
            await Task.Delay(500, cancellationToken);
        }

        var removed = new List<string>();
        if (options.DeleteVolumes)
        {
            var volumes = await Docker.VolumesAsync($"com.docker.stack.namespace={Stack}", cancellationToken);
            foreach (var volume in volumes)
            {
                var vrm = await Docker.RunAsync(["volume", "rm", volume], cancellationToken, TimeSpan.FromSeconds(30));
                if (!vrm.Succeeded) throw Docker.Failure($"docker volume rm {volume}", vrm, FailureReason.DeploymentFailed);
                removed.Add(volume);
            }
        }

        return new StopOutcome(removed, _session.HostPathVolumes, "Docker volumes (on this node)",
            "volumes kept (each on the node that ran its task) and the config versions of the kept revisions; 'stop --delete-volumes' removes this node's volumes");
    }

    /// <summary>
    /// This node's volumes of the stack (docker stack deploy labels them with its namespace and names them STACK_VOLUME):
    /// a volume lives on each node that ran a task using it, and the manager's engine sees only its own.
    /// </summary>
    public async Task<IReadOnlyList<LiveVolume>> LiveVolumesAsync(CancellationToken cancellationToken) =>
        [.. (await Docker.LiveVolumesAsync($"com.docker.stack.namespace={Stack}", cancellationToken))
            .Select(v => v.Volume.StartsWith(Stack + "_", StringComparison.Ordinal) ? v with { Volume = v.Volume[(Stack.Length + 1)..] } : v)];

    /// <summary>As on compose: an existing volume keeps its first storage, so a D that names other storage is refused (a D without named volumes asks nothing).</summary>
    public async Task<IReadOnlyList<VolumeStorageMismatch>> VolumeStorageMismatchesAsync(CancellationToken cancellationToken) =>
        _session.DeclaredVolumeStorage is { Count: > 0 } declared ? VolumeStorage.Compare(declared, await LiveVolumesAsync(cancellationToken)) : [];

    public string VolumeCreator => "docker stack deploy";

    public async Task<IReadOnlyList<ServiceState>> StatusAsync(CancellationToken cancellationToken) => (await SnapshotAsync(await ServicesAsync(cancellationToken), cancellationToken)).Services;

    /// <summary>After an apply: the services it deployed, inspected by name (one call a poll less than listing them first).</summary>
    public async Task<HealthSnapshot> HealthAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<SwarmService>? services = null;
        if (_deployed is { Count: > 0 } names)
        {
            var inspect = await Docker.RunAsync(["service", "inspect", "--format", "{{json .}}", .. names.Select(n => $"{Stack}_{n}")], cancellationToken, TimeSpan.FromSeconds(30));
            if (inspect.Succeeded) services = SwarmTasks.ParseServices(Stack, inspect.StandardOutput);
        }

        // Before any apply of this run, or a service gone since: the stack as the manager lists it.
        return await SnapshotAsync(services ?? await ServicesAsync(cancellationToken), cancellationToken);
    }

    /// <summary>The services of the stack file the last apply deployed (null: no apply in this process).</summary>
    private IReadOnlyList<string>? _deployed;

    /// <summary>Every service of the stack: its newest task per slot, its replicas, its update state.</summary>
    private async Task<HealthSnapshot> SnapshotAsync(IReadOnlyList<SwarmService> services, CancellationToken cancellationToken)
    {
        if (services.Count == 0) return HealthSnapshot.Of([]);
        var ps = await Docker.RunAsync(["service", "ps", "--no-trunc", "--format", "{{json .}}", .. services.Select(s => s.FullName)], cancellationToken, TimeSpan.FromSeconds(30));
        if (!ps.Succeeded) throw Docker.Failure("docker service ps", ps, FailureReason.DeploymentFailed);
        var snapshot = SwarmTasks.Snapshot(Stack, services, ps.StandardOutput);
        if (snapshot.PendingRollouts.Count == 0)
        {
            // Converged; a node seen down while it was not is still worth saying: its tasks now run elsewhere.
            lock (_downNodes)
            {
                return _downNodes.Count == 0 ? snapshot : snapshot with
                {
                    Notes = [$"node {string.Join(", ", _downNodes.Order(StringComparer.Ordinal))} went down during the rollout: swarm runs its tasks on the other nodes now"],
                };
            }
        }

        // Not converged: on a multi-node swarm a node may have gone down under a task (its last known state is all the
        // manager has). Asked only then, so a converged stack costs no extra call.
        var (tasks, nodes) = await TasksOnDownNodesAsync(cancellationToken);
        if (nodes.Count == 0) return snapshot;
        var waiting = SwarmTasks.Snapshot(Stack, services, ps.StandardOutput, tasks);
        // A stack that waits while a node is down names that node, also when no task the manager lists is on it.
        var unnamed = nodes.Where(n => !waiting.PendingRollouts.Any(p => p.Contains($"node {n},", StringComparison.Ordinal))).ToList();
        return unnamed.Count == 0 ? waiting : waiting with { PendingRollouts = [.. waiting.PendingRollouts, .. unnamed.Select(n => $"node {n} is down")] };
    }

    /// <summary>Nodes seen down by this backend's health polls (one run).</summary>
    private readonly HashSet<string> _downNodes = new(StringComparer.Ordinal);

    /// <summary>The last answer of <see cref="TasksOnDownNodesAsync"/>: what a poll whose node calls fail (a loaded manager) goes on with.</summary>
    private (IReadOnlyDictionary<string, string> Tasks, IReadOnlyList<string> Nodes) _lastDown = (new Dictionary<string, string>(), []);

    /// <summary>Set when the swarm has one node, the manager that answers: it cannot be down, so its nodes are not asked again this run.</summary>
    private bool _singleNode;

    /// <summary>Task ID → its node (ID and hostname) for every task on a node the manager sees as down, and those nodes.</summary>
    private async Task<(IReadOnlyDictionary<string, string> Tasks, IReadOnlyList<string> Nodes)> TasksOnDownNodesAsync(CancellationToken cancellationToken)
    {
        if (_singleNode) return _lastDown;
        var nodes = await Docker.RunAsync(["node", "ls", "--format", "{{.ID}} {{.Status}} {{.Hostname}}"], cancellationToken, TimeSpan.FromSeconds(30));
        if (!nodes.Succeeded) return _lastDown;
        var lines = nodes.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 1) _singleNode = true;
        var down = lines.Select(l => l.Split(' ', 3)).Where(f => f.Length >= 2 && f[1] is "Down" or "Disconnected" or "Unknown")
            .ToDictionary(f => f[0], f => $"{f[0][..Math.Min(12, f[0].Length)]}{(f.Length > 2 ? " (" + f[2] + ")" : "")}", StringComparer.Ordinal);
        lock (_downNodes) _downNodes.UnionWith(down.Values);
        var tasks = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, node) in down)
        {
            var ps = await Docker.RunAsync(["node", "ps", "--no-trunc", "--format", "{{.ID}}", id], cancellationToken, TimeSpan.FromSeconds(30));
            if (!ps.Succeeded)
            {
                // The node's tasks as the last poll knew them, rather than none.
                foreach (var (task, where) in _lastDown.Tasks.Where(t => t.Value == node)) tasks[task] = where;
                continue;
            }

            foreach (var task in ps.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) tasks[task] = node;
        }

        _lastDown = (tasks, [.. down.Values.Order(StringComparer.Ordinal)]);
        return _lastDown;
    }

    private async Task<IReadOnlyList<SwarmService>> ServicesAsync(CancellationToken cancellationToken)
    {
        var ls = await Docker.RunAsync(["service", "ls", "--quiet", "--filter", $"label=com.docker.stack.namespace={Stack}"], cancellationToken, TimeSpan.FromSeconds(30));
        if (!ls.Succeeded) throw Docker.Failure("docker service ls", ls, FailureReason.DeploymentFailed);
        var ids = ls.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (ids.Length == 0) return [];
        var inspect = await Docker.RunAsync(["service", "inspect", "--format", "{{json .}}", .. ids], cancellationToken, TimeSpan.FromSeconds(30));
        if (!inspect.Succeeded) throw Docker.Failure("docker service inspect", inspect, FailureReason.DeploymentFailed);
        return SwarmTasks.ParseServices(Stack, inspect.StandardOutput);
    }

    public async Task<string> DiagnoseAsync(int tailLines, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        try
        {
            foreach (var service in await ServicesAsync(cancellationToken))
            {
                text.AppendLine($"service {service.FullName}: {service.Replicas} replica(s){(service.UpdateState is null ? "" : $", update {service.UpdateState}: {service.UpdateMessage}")}");
                var ps = await Docker.RunAsync(["service", "ps", "--no-trunc", "--format", "  {{.Name}} {{.CurrentState}} {{.Error}}", service.FullName], cancellationToken, TimeSpan.FromSeconds(30));
                text.AppendLine(ps.StandardOutput.TrimEnd());
                var logs = await Docker.RunAsync(["service", "logs", "--no-task-ids", "--tail", tailLines.ToString(CultureInfo.InvariantCulture), service.FullName], cancellationToken, TimeSpan.FromSeconds(30));
                text.AppendLine($"  last {tailLines} log lines:");
                foreach (var line in (logs.StandardOutput + logs.StandardError).Split('\n', StringSplitOptions.RemoveEmptyEntries)) text.AppendLine("    | " + line.TrimEnd());
            }
        }
        catch (SlipwayException ex)
        {
            text.AppendLine($"could not describe the stack: {ex.Message}");
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>Images come from the engine (one node) or the registry the push stage pushed to: nothing to load.</summary>
    public Task LoadImagesAsync(IReadOnlyList<string> images, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<int> LogsAsync(LogsOptions options, CancellationToken cancellationToken)
    {
        var names = options.Services.Count > 0 ? options.Services.Select(s => $"{Stack}_{s}").ToList() : (await ServicesAsync(cancellationToken)).Select(s => s.FullName).ToList();
        Task<int> One(string name)
        {
            var args = new List<string> { "service", "logs", "--no-task-ids" };
            if (options.Follow) args.Add("--follow");
            if (options.Tail is { } n) args.AddRange(["--tail", n.ToString(CultureInfo.InvariantCulture)]);
            args.Add(name);
            // Piped (options.Output set): line by line without terminal codes, as compose's logs.
            return options.Output is { } output ? Docker.StreamAsync(args, output, options.Error ?? (_ => { }), cancellationToken) : Docker.InheritAsync(args, cancellationToken);
        }

        // docker service logs takes one service: followed ones run side by side (one after the other would never reach the second).
        if (options.Follow) return (await Task.WhenAll(names.Select(One))).FirstOrDefault(c => c != 0);
        var exit = 0;
        foreach (var name in names)
        {
            var code = await One(name);
            if (code != 0) exit = code;
        }

        return exit;
    }

    public async Task<string> PortAsync(string service, string port, CancellationToken cancellationToken)
    {
        var match = (await ServicesAsync(cancellationToken)).FirstOrDefault(s => s.Name == service)
            ?? throw new SlipwayException(FailureReason.NotFound, $"the stack has no service '{service}'", "check 'deployment ps'");
        var published = match.Ports.FirstOrDefault(p => p.TargetPort.ToString(CultureInfo.InvariantCulture) == port && p.HostPort > 0)
            ?? throw new SlipwayException(FailureReason.NotFound, $"service '{service}' publishes no port {port}", "list it under the service's ports (or network.ports in the spec)");
        // The manager's own address as the swarm knows it: where a local client reaches a port it publishes.
        var node = await Docker.RunAsync(["node", "inspect", "self", "--format", "{{.Status.Addr}}"], cancellationToken, TimeSpan.FromSeconds(30));
        var address = node.Succeeded ? node.StandardOutput.Trim() : "";
        if (address is "" or "0.0.0.0") address = "127.0.0.1";
        return $"{address}:{published.HostPort.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// In a running task's container on this node (the engine Slipway drives). A service whose running tasks are all on
    /// other nodes is refused with those nodes (ID, hostname, address) and how to run the command there: Slipway reaches
    /// one engine, not every node's.
    /// </summary>
    public async Task<int> ExecAsync(string service, IReadOnlyList<string> command, bool interactive, CancellationToken cancellationToken)
    {
        var full = $"{Stack}_{service}";
        var local = await Docker.RunAsync(["ps", "--quiet", "--filter", $"label=com.docker.swarm.service.name={full}", "--filter", "status=running"], cancellationToken, TimeSpan.FromSeconds(30));
        var id = local.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (id is not null) return await Docker.InheritAsync(["exec", .. interactive ? new[] { "--interactive", "--tty" } : [], id, .. command], cancellationToken);

        var nodes = await RunningTaskNodesAsync(full, cancellationToken);
        var run = $"docker exec{(interactive ? " -it" : "")} $(docker ps -q --filter label=com.docker.swarm.service.name={full} --filter status=running) {string.Join(' ', command)}";
        if (nodes.Count == 0)
        {
            throw new SlipwayException(FailureReason.NotFound, $"no task of service '{service}' is running on any node",
                $"'deployment ps' shows its tasks and their errors, 'deployment logs {service}' why they stopped");
        }

        throw new SlipwayException(FailureReason.NotFound,
            $"no task of service '{service}' runs on this node; its running task{(nodes.Count == 1 ? " is" : "s are")} on node {string.Join(", ", nodes.Select(n => n.Describe()))}",
            $"exec reaches the containers of the engine Slipway drives only; on that node run: {run} (for example over ssh {nodes[0].Address})");
    }

    /// <summary>A swarm node as the manager knows it.</summary>
    private sealed record SwarmNode(string Id, string Hostname, string Address)
    {
        public string Describe() => $"{Id[..Math.Min(12, Id.Length)]} ({Hostname}, {Address})";
    }

    /// <summary>The nodes of a service's running tasks: the task IDs, their node IDs (a task's inspect), those nodes' hostnames and addresses.</summary>
    private async Task<IReadOnlyList<SwarmNode>> RunningTaskNodesAsync(string service, CancellationToken cancellationToken)
    {
        static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var tasks = await Docker.RunAsync(["service", "ps", "--no-trunc", "--filter", "desired-state=running", "--format", "{{.ID}}", service], cancellationToken, TimeSpan.FromSeconds(30));
        if (!tasks.Succeeded) throw Docker.Failure($"docker service ps {service}", tasks, FailureReason.NotFound);
        var ids = Lines(tasks.StandardOutput);
        if (ids.Length == 0) return [];
        var onNodes = await Docker.RunAsync(["inspect", "--type", "task", "--format", "{{.NodeID}} {{.Status.State}}", .. ids], cancellationToken, TimeSpan.FromSeconds(30));
        if (!onNodes.Succeeded) throw Docker.Failure("docker inspect (tasks)", onNodes, FailureReason.NotFound);
        var nodeIds = Lines(onNodes.StandardOutput).Select(l => l.Split(' ')).Where(f => f.Length == 2 && f[1] == "running" && f[0].Length > 0)
            .Select(f => f[0]).Distinct(StringComparer.Ordinal).ToList();
        if (nodeIds.Count == 0) return [];
        var described = await Docker.RunAsync(["node", "inspect", "--format", "{{.ID}} {{.Description.Hostname}} {{.Status.Addr}}", .. nodeIds], cancellationToken, TimeSpan.FromSeconds(30));
        if (!described.Succeeded) return [.. nodeIds.Select(n => new SwarmNode(n, "?", "?"))];
        return [.. Lines(described.StandardOutput).Select(l => l.Split(' ')).Where(f => f.Length == 3).Select(f => new SwarmNode(f[0], f[1], f[2])).OrderBy(n => n.Id, StringComparer.Ordinal)];
    }

    public Task<int> RunJobAsync(string job, CancellationToken cancellationToken) =>
        throw new SlipwayException(FailureReason.InvalidInput, "run-job is not supported on deploy-to: swarm yet", "run the job with deploy-to: compose on a manager");
}
