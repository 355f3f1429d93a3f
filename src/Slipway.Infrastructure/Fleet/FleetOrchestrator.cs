using Slipway.Core.Diagnostics;
using Slipway.Core.Fleet;
using Slipway.Infrastructure.Operations;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Fleet;

/// <summary>What a fleet deploy, resume or rollback is asked: which hosts and deployments, how many hosts at once.</summary>
public sealed record FleetRequest
{
    public IReadOnlyCollection<string> Hosts { get; init; } = [];

    public IReadOnlyCollection<string> Deployments { get; init; } = [];

    public int Parallel { get; init; } = 1;

    public bool SkipUnreachable { get; init; }

    /// <summary>
    /// Gather each host's single-host plan at prepare (to show before a confirmation). Off with --yes: the rollout's own
    /// restart plans on the host, and planning twice would double the cost of prepare.
    /// </summary>
    public bool Plans { get; init; } = true;

    /// <summary>Called with the prepared run (checks and plans) before anything is applied; false declines.</summary>
    public Func<FleetRun, IReadOnlyDictionary<string, Dictionary<string, string>>, bool> Confirm { get; init; } = (_, _) => true;

    /// <summary>Called whenever a host or item of the run changes (the live table, plain lines).</summary>
    public Action<FleetRun, FleetHostRun, FleetItemRun?> Changed { get; init; } = (_, _, _) => { };
}

/// <summary>
/// The fleet layer over the single-host pipeline: every host runs its own <c>slipway deployment --dir D ...</c> (its own
/// lock, runs, revisions, overrides and secrets); the orchestrator prepares every host first, asks, rolls out host by
/// host (or N at a time), stops at the first failure, and records it all in a fleet run.
/// </summary>
public sealed class FleetOrchestrator : IAsyncDisposable
{
    private readonly SlipwayEnvironment _env;
    private readonly FleetHostClient _client;

    public FleetOrchestrator(SlipwayEnvironment env)
    {
        _env = env;
        _client = new FleetHostClient(env.Runner, env.Ssh);
    }

    /// <summary>Closes the shared SSH connections of this command.</summary>
    public ValueTask DisposeAsync() => _client.DisposeAsync();

    public Inventory LoadInventory(string file)
    {
        var path = _env.Resolve(file);
        if (!File.Exists(path)) throw new SlipwayException(FailureReason.NotFound, $"no fleet inventory at {path}", "give one with --inventory FILE (default fleet.yml)");
        var inventory = InventoryParser.ParseOrThrow(Files.InputFile.ReadText(path), path, out var warnings);
        foreach (var warning in warnings) _env.Reporter.Warn(warning.ToString());
        return inventory;
    }

    public FleetStore Store(Inventory inventory) => new(inventory.FilePath);

    /// <summary>The commit hosts deploy: the orchestrator repository's HEAD (the inventory's repository).</summary>
    public async Task<string> CommitAsync(Inventory inventory, CancellationToken cancellationToken)
    {
        var git = new Git(_env.Runner, _env.Tools.Git);
        var dir = Path.GetDirectoryName(inventory.FilePath)!;
        var head = await git.TryAsync(dir, ["rev-parse", "HEAD"], cancellationToken)
            ?? throw new SlipwayException(FailureReason.PrerequisiteMissing, $"{dir} is not a git repository with a commit: the fleet deploys a commit of the operator repository");
        var dirty = await git.TryAsync(dir, ["status", "--porcelain", "--untracked-files=no"], cancellationToken);
        if (!string.IsNullOrWhiteSpace(dirty)) _env.Reporter.Warn("the operator repository has uncommitted changes: hosts get the committed state only");
        return head.Trim();
    }

    public IReadOnlyList<FleetTarget> Targets(Inventory inventory, FleetRequest request)
    {
        foreach (var host in request.Hosts.Where(h => inventory.Host(h) is null))
        {
            throw new SlipwayException(FailureReason.NotFound, $"the inventory has no host '{host}'", Core.Yaml.DidYouMean.Hint(host, inventory.Hosts.Select(h => h.Name).ToList()));
        }

        var targets = inventory.Targets(request.Hosts, request.Deployments);
        if (targets.Count == 0) throw new SlipwayException(FailureReason.NotFound, "no host runs the deployments asked for");
        return targets;
    }

    /// <summary>Prepare on every target host at once (read-only but for a git fetch); the checks go into <paramref name="run"/>.</summary>
    public async Task<Dictionary<string, Dictionary<string, string>>> PrepareAsync(FleetRun run, IReadOnlyList<FleetTarget> targets, FleetRequest request, CancellationToken cancellationToken)
    {
        var plans = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var results = await Task.WhenAll(targets.Select(async t => (t, await _client.PrepareAsync(t, run.Commit, cancellationToken, request.Plans))));
        foreach (var (target, (checks, hostPlans)) in results)
        {
            var host = run.Hosts.First(h => h.Host == target.Host.Name);
            host.Checks.Clear();
            host.Checks.AddRange(checks);
            plans[target.Host.Name] = hostPlans;
            if (checks.Any(c => c.Name == "ssh" && c.Failed))
            {
                host.State = request.SkipUnreachable ? "skipped" : "unreachable";
                host.Message = checks.First(c => c.Failed).Detail;
            }
            else if (checks.FirstOrDefault(c => c.Failed) is { } failed)
            {
                host.State = "failed";
                host.Message = $"prepare: {(failed.Deployment == "-" ? "" : failed.Deployment + ": ")}{failed.Name}: {failed.Detail}";
            }

            request.Changed(run, host, null);
        }

        return plans;
    }

    public FleetRun NewRun(string command, string commit, IReadOnlyList<FleetTarget> targets, int parallel, string? of = null) => new()
    {
        Id = FleetStore.NewId(_env.Clock),
        Command = command,
        Commit = commit,
        Of = of,
        StartedAt = _env.Clock.GetUtcNow(),
        Parallel = parallel,
        Hosts = targets.Select(t => new FleetHostRun
        {
            Host = t.Host.Name,
            Deployments = t.Deployments.Select(d => new FleetItemRun { Deployment = d.Name, Dir = d.Dir }).ToList(),
        }).ToList(),
    };

    /// <summary><c>fleet deploy</c>: prepare everywhere, confirm, roll out.</summary>
    public async Task<FleetRun> DeployAsync(Inventory inventory, FleetRequest request, CancellationToken cancellationToken)
    {
        var targets = Targets(inventory, request);
        var commit = await CommitAsync(inventory, cancellationToken);
        var store = Store(inventory);
        var run = NewRun("deploy", commit, targets, request.Parallel);
        using var fleetLock = store.Lock("deploy", run.Id, _env.Reporter.Warn);
        return await PrepareAndRollOutAsync(store, run, targets, request, new Dictionary<string, string>(), cancellationToken);
    }

    /// <summary><c>fleet resume</c>: the last deploy or resume that did not succeed, continued from the first host that did not finish.</summary>
    public async Task<FleetRun> ResumeAsync(Inventory inventory, FleetRequest request, CancellationToken cancellationToken)
    {
        var store = Store(inventory);
        var last = store.Latest(r => r.Command is "deploy" or "resume")
            ?? throw new SlipwayException(FailureReason.NotFound, "no fleet run to resume: run fleet deploy");
        if (last.State == "succeeded") throw new SlipwayException(FailureReason.NotFound, $"nothing to resume: fleet run {last.Id} succeeded");
        var wanted = last.Hosts.Select(h => h.Host).ToList();
        var targets = Targets(inventory, request with { Hosts = wanted, Deployments = last.Hosts.SelectMany(h => h.Deployments.Select(d => d.Deployment)).Distinct().ToList() });
        var run = NewRun("resume", last.Commit, targets, request.Parallel, last.Id);
        var interrupted = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var host in run.Hosts)
        {
            var before = last.Hosts.FirstOrDefault(h => h.Host == host.Host);
            foreach (var item in host.Deployments)
            {
                var old = before?.Deployments.FirstOrDefault(d => d.Deployment == item.Deployment);
                if (old is null) continue;
                if (old.Finished)
                {
                    item.State = old.State;
                    item.RunId = old.RunId;
                    item.Verb = old.Verb;
                    item.Revision = old.Revision;
                    item.Message = $"done in fleet run {last.Id}";
                    item.Carried = true;
                }
                else if (old.State == "running")
                {
                    // The orchestrator died while this host ran: its own run may be unfinished (resume it) or done.
                    interrupted[host.Host + "/" + item.Deployment] = old.RunId ?? "";
                }
            }

            if (host.Deployments.All(d => d.Finished)) host.State = "succeeded";
        }

        using var fleetLock = store.Lock("resume", run.Id, _env.Reporter.Warn);
        var remaining = targets.Where(t => run.Hosts.First(h => h.Host == t.Host.Name).State != "succeeded").ToList();
        return await PrepareAndRollOutAsync(store, run, remaining, request, interrupted, cancellationToken);
    }

    /// <summary><c>fleet rollback</c>: every deployment the last fleet deploy moved forward, back to its previous good revision.</summary>
    public async Task<FleetRun> RollbackAsync(Inventory inventory, FleetRequest request, CancellationToken cancellationToken)
    {
        var store = Store(inventory);
        var last = store.Latest(r => r.Command is "deploy" or "resume")
            ?? throw new SlipwayException(FailureReason.NotFound, "no fleet run to roll back");
        // What moved forward: items a host ran and finished in this run, or in the runs a resume continued.
        var moved = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        for (var chain = last; chain is not null; chain = chain.Command == "resume" && chain.Of is { } of ? store.Load(of) : null)
        {
            foreach (var host in chain.Hosts)
            {
                foreach (var item in host.Deployments.Where(d => d.State == "succeeded" && !d.Carried))
                {
                    if (!moved.TryGetValue(host.Host, out var set)) moved[host.Host] = set = new HashSet<string>(StringComparer.Ordinal);
                    set.Add(item.Deployment);
                }
            }
        }

        if (moved.Count == 0) throw new SlipwayException(FailureReason.NotFound, $"fleet run {last.Id} moved no deployment forward: nothing to roll back");
        var targets = Targets(inventory, request with { Hosts = moved.Keys.ToList() });
        var run = NewRun("rollback", last.Commit, targets, request.Parallel, last.Id);
        foreach (var host in run.Hosts)
        {
            foreach (var item in host.Deployments.Where(i => !moved[host.Host].Contains(i.Deployment)))
            {
                item.State = "skipped";
                item.Message = "not moved forward by the fleet run (its own run rolled back, or it did not run)";
            }
        }

        using var fleetLock = store.Lock("rollback", run.Id, _env.Reporter.Warn);
        store.Save(run);
        if (!request.Confirm(run, new Dictionary<string, Dictionary<string, string>>()))
        {
            return Finish(store, run, "declined", "not confirmed: nothing rolled back");
        }

        return await RollOutAsync(store, run, targets, request, (t, d, item) => ("rollback", RemoteScripts.Verb(t.Host, d, "rollback --output json")), cancellationToken);
    }

    private async Task<FleetRun> PrepareAndRollOutAsync(FleetStore store, FleetRun run, IReadOnlyList<FleetTarget> targets, FleetRequest request,
        IReadOnlyDictionary<string, string> interrupted, CancellationToken cancellationToken)
    {
        store.Save(run);
        var plans = await PrepareAsync(run, targets, request, cancellationToken);
        var bad = run.Hosts.Where(h => h.State is "failed" or "unreachable").ToList();
        if (bad.Count > 0)
        {
            return Finish(store, run, "refused", "prepare failed on " + string.Join(", ", bad.Select(h => $"{h.Host} ({h.Message})")) + ": nothing was applied anywhere");
        }

        if (!request.Confirm(run, plans))
        {
            return Finish(store, run, "declined", "not confirmed: nothing was applied");
        }

        var ready = targets.Where(t => run.Hosts.First(h => h.Host == t.Host.Name).State == "pending").ToList();
        return await RollOutAsync(store, run, ready, request, (t, d, item) =>
            interrupted.ContainsKey(t.Host.Name + "/" + d.Name)
                ? ("resume", ResumeOrDeploy(t.Host, d, run.Commit))
                : ("deploy", RemoteScripts.Deploy(t.Host, d, run.Commit)), cancellationToken);
    }

    /// <summary>A host run the orchestrator lost track of: resumed when unfinished, else deployed again (a no-op when it had finished).</summary>
    private static string ResumeOrDeploy(FleetHost host, FleetDeployment d, string commit) =>
        $"out=$({RemoteScripts.Verb(host, d, "resume --output json")} 2>/dev/null); rc=$?\n"
        + "if [ $rc -ne 10 ]; then printf '%s\\n' \"$out\"; exit $rc; fi\n"
        + RemoteScripts.Deploy(host, d, commit);

    private async Task<FleetRun> RollOutAsync(FleetStore store, FleetRun run, IReadOnlyList<FleetTarget> targets, FleetRequest request,
        Func<FleetTarget, FleetDeployment, FleetItemRun, (string Verb, string Script)> script, CancellationToken cancellationToken)
    {
        var gate = new object();
        var stop = false;
        string? stoppedAt = null;
        using var slots = new SemaphoreSlim(Math.Max(1, request.Parallel));
        var tasks = new List<Task>();
        foreach (var target in targets)
        {
            await slots.WaitAsync(cancellationToken);
            lock (gate)
            {
                if (stop)
                {
                    slots.Release();
                    break;
                }
            }

            var host = run.Hosts.First(h => h.Host == target.Host.Name);
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    var ok = await RunHostAsync(store, run, host, target, request, script, gate, cancellationToken);
                    if (!ok)
                    {
                        lock (gate)
                        {
                            stop = true;
                            stoppedAt ??= host.Host;
                        }
                    }
                }
                finally
                {
                    slots.Release();
                }
            }, cancellationToken));
        }

        await Task.WhenAll(tasks);
        foreach (var host in run.Hosts.Where(h => h.State == "pending"))
        {
            host.State = "not-started";
            host.Message = "untouched: the rollout stopped";
            request.Changed(run, host, null);
        }

        var failed = run.Hosts.Where(h => h.State is "failed" or "unreachable").ToList();
        if (failed.Count == 0)
        {
            var skipped = run.Hosts.Where(h => h.State == "skipped").Select(h => h.Host).ToList();
            return Finish(store, run, "succeeded", skipped.Count == 0 ? null : "skipped (unreachable at prepare): " + string.Join(", ", skipped));
        }

        var untouched = run.Hosts.Where(h => h.State == "not-started").Select(h => h.Host).ToList();
        return Finish(store, run, "failed", $"the rollout stopped at {stoppedAt ?? failed[0].Host}: {failed[0].Message}"
            + (untouched.Count == 0 ? "" : $"; untouched: {string.Join(", ", untouched)}"));
    }

    private async Task<bool> RunHostAsync(FleetStore store, FleetRun run, FleetHostRun host, FleetTarget target, FleetRequest request,
        Func<FleetTarget, FleetDeployment, FleetItemRun, (string Verb, string Script)> script, object gate, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            host.State = "running";
            store.Save(run);
        }

        request.Changed(run, host, null);
        foreach (var d in target.Deployments)
        {
            var item = host.Deployments.First(i => i.Deployment == d.Name);
            if (item.Finished || item.State == "skipped") continue;
            var (verb, text) = script(target, d, item);
            lock (gate)
            {
                item.State = "running";
                item.Verb = verb;
                store.Save(run);
            }

            request.Changed(run, host, item);
            await _client.RunItemAsync(target.Host, item, verb, text, null, cancellationToken);
            var ok = item.State == "succeeded";
            lock (gate)
            {
                if (!ok)
                {
                    host.State = item.State == "unreachable" ? "unreachable" : "failed";
                    host.Message = $"{d.Name}: {item.State}{(item.Message is null ? "" : " (" + item.Message + ")")}";
                }

                store.Save(run);
            }

            request.Changed(run, host, item);
            if (!ok) return false;
        }

        lock (gate)
        {
            host.State = "succeeded";
            store.Save(run);
        }

        request.Changed(run, host, null);
        return true;
    }

    private FleetRun Finish(FleetStore store, FleetRun run, string state, string? message)
    {
        run.State = state;
        run.Message = message;
        run.FinishedAt = _env.Clock.GetUtcNow();
        store.Save(run);
        return run;
    }

    /// <summary><c>fleet plan</c>: prepare's checks and each host's single-host plan, nothing recorded or applied.</summary>
    public async Task<(FleetRun Run, Dictionary<string, Dictionary<string, string>> Plans)> PlanAsync(Inventory inventory, FleetRequest request, CancellationToken cancellationToken)
    {
        var targets = Targets(inventory, request);
        var run = NewRun("plan", await CommitAsync(inventory, cancellationToken), targets, 1);
        var plans = await PrepareAsync(run, targets, request, cancellationToken);
        foreach (var host in run.Hosts.Where(h => h.State == "pending")) host.State = "ready";
        return (run, plans);
    }

    /// <summary><c>fleet diagnose</c>: each host's own diagnosis of each deployment, gathered.</summary>
    public async Task<List<(string Host, string Deployment, int ExitCode, string Output)>> DiagnoseAsync(Inventory inventory, FleetRequest request, CancellationToken cancellationToken)
    {
        // --host needs no record: a damaged one must not stand between the operator and the hosts' own diagnoses.
        var hosts = request.Hosts.Count > 0 ? request.Hosts
            : Store(inventory).Latest(r => r.Command is "deploy" or "resume" or "rollback")?.Hosts.Select(h => h.Host).ToList() ?? [];
        var targets = Targets(inventory, request with { Hosts = hosts });
        var results = await Task.WhenAll(targets.SelectMany(t => t.Deployments.Select(async d =>
        {
            var r = await _client.RunAsync(t.Host, RemoteScripts.Verb(t.Host, d, "diagnose") + " 2>&1", TimeSpan.FromMinutes(2), cancellationToken);
            var output = r.ExitCode == FleetHostClient.SshFailed && r.StandardOutput.Length == 0 ? "unreachable: " + r.StandardError.Trim() : r.StandardOutput;
            return (t.Host.Name, d.Name, r.ExitCode, output);
        })));
        return results.ToList();
    }

    /// <summary><c>fleet onboard HOST</c>: what the host lacks, with the command that fixes each; <paramref name="apply"/> does the safe ones.</summary>
    public async Task<List<(FleetCheck Check, string? Fix, bool Applied)>> OnboardAsync(Inventory inventory, string hostName, bool apply, CancellationToken cancellationToken)
    {
        var host = inventory.Host(hostName) ?? throw new SlipwayException(FailureReason.NotFound, $"the inventory has no host '{hostName}'",
            Core.Yaml.DidYouMean.Hint(hostName, inventory.Hosts.Select(h => h.Name).ToList()));
        var deployments = inventory.Deployments.Where(d => inventory.HostsOf(d).Contains(host)).ToList();
        var origin = await new Git(_env.Runner, _env.Tools.Git).TryAsync(Path.GetDirectoryName(inventory.FilePath)!, ["remote", "get-url", "origin"], cancellationToken);
        var checks = await _client.OnboardAsync(host, deployments, cancellationToken);
        var local = VersionOf(typeof(FleetOrchestrator));
        var result = new List<(FleetCheck, string?, bool)>();
        foreach (var check in checks)
        {
            var c = check;
            if (c.Name == "slipway" && !c.Failed && !CompatibleVersion(c.Detail, local))
            {
                c = c with { Status = "fail", Detail = $"{c.Detail}: not compatible with the orchestrator's {local} (same major.minor needed)" };
            }

            string? fix = c.Failed ? c.Name switch
            {
                "ssh" => $"make `ssh {host.Ssh}` work from this machine (key in the host's authorized_keys, known_hosts)",
                "docker" => "apt-get install docker.io (and start dockerd)",
                "compose" => "install the Docker Compose v2 plugin (docker-compose-plugin or Debian's docker-compose 2.x)",
                "git" => "apt-get install git",
                "slipway" => $"install Slipway {local} on the host (or set 'slipway:' for it in the inventory)",
                "repo" => origin is null ? $"git clone <the operator repository> {host.Repo}" : $"git clone {origin.Trim()} {host.Repo}",
                "dir" => $"mkdir -p {c.Detail.Replace(" does not exist", "", StringComparison.Ordinal)}",
                _ => null,
            } : null;
            var applied = false;
            if (apply && c.Failed && (c.Name == "dir" || (c.Name == "repo" && origin is not null)))
            {
                var command = c.Name == "repo"
                    ? $"git clone --quiet {RemoteScripts.Quote(origin!.Trim())} {RemoteScripts.Quote(host.Repo)}"
                    : $"mkdir -p {RemoteScripts.Quote(c.Detail.Replace(" does not exist", "", StringComparison.Ordinal))}";
                var done = await _client.RunAsync(host, command, TimeSpan.FromMinutes(5), cancellationToken);
                applied = done.Succeeded;
                if (applied) c = c with { Status = "fixed" };
                else c = c with { Detail = c.Detail + $" (--apply failed: {done.Tail(2)})" };
            }

            result.Add((c, fix, applied));
        }

        return result;
    }

    private static string VersionOf(Type type) =>
        type.Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "0.0.0";

    /// <summary>"slipway 1.2.3+abc" against "1.2.5": same major.minor.</summary>
    internal static bool CompatibleVersion(string remote, string local)
    {
        static string MajorMinor(string v)
        {
            var text = v.Split(' ').Last().Split('+')[0];
            var parts = text.Split('.');
            return parts.Length >= 2 ? parts[0] + "." + parts[1] : text;
        }

        return MajorMinor(remote) == MajorMinor(local);
    }
}
