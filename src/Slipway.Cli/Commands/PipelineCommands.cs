using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Kubernetes;
using Slipway.Core.Specs;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Backends.Compose;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Pipeline;
using Slipway.Infrastructure.Pipeline.StageBodies;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Verification;
using YamlDotNet.RepresentationModel;

namespace Slipway.Cli.Commands;

/// <summary>
/// The staged runs (start, restart, rollback, resume) and what inspects them (history, plan, verify, diagnose).
/// Runs go through <see cref="PipelineEngine"/>: locked, recorded in D/.slipway/runs/, logged, verified, rolled back.
/// </summary>
internal static class PipelineCommands
{
    public static void AddTo(Command deployment, CliContext context)
    {
        deployment.Subcommands.Add(Rollback(context));
        deployment.Subcommands.Add(Resume(context));
        deployment.Subcommands.Add(History(context));
        deployment.Subcommands.Add(Plan(context));
        deployment.Subcommands.Add(Verify(context));
        deployment.Subcommands.Add(Diagnose(context));
    }

    private static Option<string> OutputOption()
    {
        var option = new Option<string>("--output") { Description = "text or json (json goes to stdout; messages to stderr)", DefaultValueFactory = _ => "text" };
        option.AcceptOnlyFromAmong("text", "json");
        return option;
    }

    private static Option<int> WaitTimeout() =>
        new("--wait-timeout") { Description = "Seconds to wait for services to become healthy", DefaultValueFactory = _ => 300 };

    private static Option<bool> BreakLock() =>
        new("--break-lock") { Description = "Replace a stale lock (its process is gone) instead of refusing" };

    public static Command Start(CliContext context)
    {
        var services = new Argument<string[]>("services") { Arity = ArgumentArity.ZeroOrMore, Description = "Only these services (default: all)" };
        var perform = new Option<bool>("--perform-cluster-management") { Description = "Create the kind cluster if needed (k8s-kind)" };
        var skip = new Option<bool>("--skip-cluster-management") { Description = "Never create or delete a cluster (the default)" };
        var timeout = WaitTimeout();
        var breakLock = BreakLock();
        var command = new Command("start", "Run prepare, build, push, apply, verify, record; roll back to the last good revision if unhealthy")
        {
            services, perform, skip, timeout, breakLock,
        };
        command.Aliases.Add("up");
        command.SetAction((parse, ct) => RunAsync(context, parse, () => new RunRequest(RunRequest.Start)
        {
            Services = parse.GetValue(services) ?? [],
            WaitTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
            PerformClusterManagement = parse.GetValue(perform) && !parse.GetValue(skip),
            BreakLock = parse.GetValue(breakLock),
        }, ct));
        return command;
    }

    public static Command Restart(CliContext context)
    {
        var timeout = WaitTimeout();
        var force = new Option<bool>("--force-recreate") { Description = "Recreate every container even when nothing changed" };
        var image = new Option<string[]>("--image") { Description = "SERVICE=IMAGE: run this image for the service (this run and until replaced)", AllowMultipleArgumentsPerToken = false };
        var breakLock = BreakLock();
        var command = new Command("restart", "Sync D from its sources and roll out what changed (prepare … verify, record; rollback when unhealthy)")
        {
            timeout, force, image, breakLock,
        };
        command.SetAction((parse, ct) => RunAsync(context, parse, () => new RunRequest(RunRequest.Restart)
        {
            WaitTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
            ForceRecreate = parse.GetValue(force),
            ServiceImages = ParseImages(parse.GetValue(image) ?? []),
            BreakLock = parse.GetValue(breakLock),
        }, ct));
        return command;
    }

    private static Command Rollback(CliContext context)
    {
        var to = new Option<int?>("--to-revision") { Description = "The revision to put back (default: the good revision before the current one)" };
        var timeout = WaitTimeout();
        var breakLock = BreakLock();
        var command = new Command("rollback", "Re-apply a recorded revision's files and images, and verify it (volumes are never rolled back)") { to, timeout, breakLock };
        command.SetAction((parse, ct) => RunAsync(context, parse, () => new RunRequest(RunRequest.Rollback)
        {
            ToRevision = parse.GetValue(to),
            WaitTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
            BreakLock = parse.GetValue(breakLock),
        }, ct));
        return command;
    }

    private static Command Resume(CliContext context)
    {
        var breakLock = BreakLock();
        var command = new Command("resume", "Finish an interrupted run (killed, Ctrl+C) from its first unfinished stage") { breakLock };
        command.SetAction((parse, ct) => context.GuardAsync(parse, async () =>
        {
            var directory = OpenDirectory(context, parse);
            var engine = Engine(context);
            var run = await PointAtLogAsync(context, engine, () => engine.ResumeAsync(directory, parse.GetValue(breakLock), ct));
            return await FinishedAsync(context, directory, run, ct);
        }));
        return command;
    }

    private static Command History(CliContext context)
    {
        var output = OutputOption();
        var command = new Command("history", "List the recorded revisions: number, time, result, spec hash, images") { output };
        command.SetAction((parse, ct) => context.GuardAsync(parse, () =>
        {
            var deployment = Deployment.Open(OpenDirectory(context, parse));
            var revisions = new RevisionStore(deployment.Layout).List();
            var current = revisions.LastOrDefault(r => r.Result == RevisionRecord.Good)?.Number;
            if (parse.GetValue(output) == "json")
            {
                context.Ui.Result(Json(writer =>
                {
                    writer.WriteStartArray();
                    foreach (var r in revisions)
                    {
                        writer.WriteStartObject();
                        writer.WriteNumber("revision", r.Number);
                        writer.WriteString("time", r.Time);
                        writer.WriteString("result", r.Result);
                        writer.WriteBoolean("current", r.Number == current);
                        writer.WriteString("command", r.Command);
                        writer.WriteString("runId", r.RunId);
                        writer.WriteString("specHash", r.SpecHash);
                        if (r.SourceRevision is { } source) writer.WriteNumber("sourceRevision", source); else writer.WriteNull("sourceRevision");
                        WriteMap(writer, "images", r.Images);
                        WriteMap(writer, "imagePins", r.ImagePins);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                }));
                return Task.FromResult(ExitCodes.Success);
            }

            if (revisions.Count == 0)
            {
                context.Ui.Result("No revisions recorded yet ('deployment start' records one)");
                return Task.FromResult(ExitCodes.Success);
            }

            context.Ui.Table(["REVISION", "TIME", "RESULT", "COMMAND", "SPEC", "IMAGES"],
                revisions.Select(r => (IReadOnlyList<string>)[
                    r.Number.ToString(CultureInfo.InvariantCulture) + (r.Number == current ? "*" : ""),
                    r.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z",
                    r.Result + (r.SourceRevision is { } s ? $" (copy of {s})" : ""),
                    r.Command,
                    r.SpecHash,
                    string.Join(", ", r.Images.Select(i => $"{i.Key}={i.Value}")),
                ]));
            context.Ui.Info("* the current revision (the newest good one)");
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    private static Command Plan(CliContext context)
    {
        var output = OutputOption();
        var command = new Command("plan", "Show what start would change against the live state (changes nothing)") { output };
        command.SetAction((parse, ct) => context.GuardAsync(parse, async () =>
        {
            var deployment = Deployment.Open(OpenDirectory(context, parse));
            var store = new RevisionStore(deployment.Layout);
            var current = store.LastGood();
            var pins = current?.ImagePins ?? new Dictionary<string, string>();
            var changes = await context.Ui.StepAsync("plan", _ => Backend(context, deployment, context.Runner).PlanAsync(new ApplyOptions { ImagePins = pins }, ct));
            var files = FileChanges(deployment, store, current);
            var volumes = VolumePlacements(deployment);
            if (parse.GetValue(output) == "json")
            {
                context.Ui.Result(Json(writer =>
                {
                    writer.WriteStartObject();
                    if (current is null) writer.WriteNull("currentRevision"); else writer.WriteNumber("currentRevision", current.Number);
                    writer.WriteStartArray("changes");
                    foreach (var c in changes)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("kind", c.Kind);
                        writer.WriteString("name", c.Name);
                        writer.WriteString("action", c.Action);
                        if (c.Detail is null) writer.WriteNull("detail"); else writer.WriteString("detail", c.Detail);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                    writer.WriteStartArray("files");
                    foreach (var (path, change) in files)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("path", path);
                        writer.WriteString("change", change);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                    writer.WriteStartArray("volumes");
                    foreach (var v in volumes)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("name", v.Name);
                        writer.WriteString("dataLivesIn", v.Where);
                        writer.WriteString("survivesPodRestart", v.SurvivesPodRestart);
                        writer.WriteString("survivesStop", v.SurvivesStop);
                        writer.WriteString("survivesDeleteVolumes", v.SurvivesDeleteVolumes);
                        writer.WriteString("survivesClusterDeletion", v.SurvivesClusterDeletion);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }));
                return ExitCodes.Success;
            }

            var changing = changes.Where(c => c.Action != "unchanged").ToList();
            if (changing.Count == 0) context.Ui.Result("No changes: the live state matches D");
            else context.Ui.Table(["KIND", "NAME", "ACTION"], changing.Select(c => (IReadOnlyList<string>)[c.Kind, c.Name, c.Action]));
            if (current is null) context.Ui.Info("no revision recorded yet: every file of D is new");
            else if (files.Count > 0)
            {
                context.Ui.Info($"files changed since revision {current.Number}:");
                foreach (var (path, change) in files) context.Ui.Detail($"{change} {path}");
            }

            if (volumes.Count > 0)
            {
                // Where each volume's data lives and what survives what (seed 001's "false persistence" trap).
                context.Ui.Info("volumes:");
                foreach (var line in KubernetesVolumes.Table(volumes)) context.Ui.Detail(line);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Verify(CliContext context)
    {
        var timeout = new Option<int>("--wait-timeout") { Description = "Seconds to wait for services to become healthy", DefaultValueFactory = _ => 60 };
        var command = new Command("verify", "Check that every service runs and is healthy (and the spec's checks pass); changes nothing") { timeout };
        command.SetAction((parse, ct) => context.GuardAsync(parse, async () =>
        {
            var deployment = Deployment.Open(OpenDirectory(context, parse));
            var backend = Backend(context, deployment, context.Runner);
            var wait = TimeSpan.FromSeconds(parse.GetValue(timeout));
            var report = await context.Ui.StepAsync("verify", progress => HealthWait.WaitAsync(backend, [], wait, progress, ct));
            foreach (var line in report.Lines) context.Ui.Result(line);
            if (!report.Healthy) throw HealthWait.Failure(report, "the deployment is not healthy");

            // The spec's HTTP/TCP checks, as the verify stage runs them.
            var checks = await context.Ui.StepAsync("verify checks", progress => VerificationStages.VerifyAsync(deployment, backend, progress, ct));
            foreach (var result in checks.Results) context.Ui.Result(result.DescribeOneLine());
            checks.ThrowIfFailed();
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Diagnose(CliContext context)
    {
        var tail = new Option<int>("--tail", "-n") { Description = "Log lines per troubled service", DefaultValueFactory = _ => 50 };
        var command = new Command("diagnose", "Show the last run, each container's state, health-check output and last log lines") { tail };
        command.SetAction((parse, ct) => context.GuardAsync(parse, async () =>
        {
            var deployment = Deployment.Open(OpenDirectory(context, parse));
            if (new RunStore(deployment.Layout).Latest() is { } run)
            {
                var stages = string.Join(" → ", run.Stages.Select(s => $"{s.Name}:{JsonNamingPolicy.KebabCaseLower.ConvertName(s.State.ToString())}"));
                context.Ui.Result($"last run {run.Id} ({run.Command}): {JsonNamingPolicy.KebabCaseLower.ConvertName(run.State.ToString())}");
                context.Ui.Result($"  stages: {stages}");
                if (run.Failure is not null) context.Ui.Result($"  failure: {run.Failure}");
                if (run.Logs.Count > 0) context.Ui.Result($"  log: {run.Logs[^1]}");
            }

            if (DeploymentLock.Holder(deployment.Layout) is { } holder)
            {
                context.Ui.Result($"lock: held by {holder}{(DeploymentLock.IsStale(holder) ? " (stale: that process is gone)" : "")}");
            }

            context.Ui.Result(await Backend(context, deployment, context.Runner).DiagnoseAsync(parse.GetValue(tail), ct));
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>The request is built inside the guard: its options are checked there (bad --image is InvalidInput).</summary>
    private static Task<int> RunAsync(CliContext context, ParseResult parse, Func<RunRequest> build, CancellationToken ct) =>
        context.GuardAsync(parse, async () =>
        {
            var request = build();
            var directory = OpenDirectory(context, parse);
            var engine = Engine(context);
            var run = await PointAtLogAsync(context, engine, () => engine.RunAsync(directory, request, ct));
            return await FinishedAsync(context, directory, run, ct);
        });

    /// <summary>A run that fails after opening its log says where the log is (the diagnosis is there).</summary>
    private static async Task<RunRecord> PointAtLogAsync(CliContext context, PipelineEngine engine, Func<Task<RunRecord>> run)
    {
        try
        {
            return await run();
        }
        catch (SlipwayException) when (engine.LogPath is not null)
        {
            context.Ui.Error.WriteLine($"log: {engine.LogPath}");
            throw;
        }
    }

    private static async Task<int> FinishedAsync(CliContext context, string directory, RunRecord run, CancellationToken ct)
    {
        var deployment = Deployment.Open(directory);
        context.Ui.Info($"run {run.Id} ({run.Command}) succeeded: revision {run.Revision}; log {run.Logs[^1]}");
        await DeploymentCommands.PrintStatusAsync(context, Backend(context, deployment, context.Runner), json: false, ct);
        return ExitCodes.Success;
    }

    private static PipelineEngine Engine(CliContext context) => new(new PipelineServices
    {
        Runner = context.Runner,
        CreateBackend = (deployment, runner) => Backend(context, deployment, runner),
        Reporter = context.Ui,
        Prepare = new SpecPrepareCheck(),
        SourceSync = new GitOpsSourceSync(runner => context.Environment(runner)),
        Images = new ImageStage(context.Environment().DockerExecutable),
        Verifier = new SpecVerifier(),
        Hooks = new SpecDeployHooks(),
        Policy = SpecRollout.PolicyOf,
    });

    private static IDeploymentBackend Backend(CliContext context, Deployment deployment, IProcessRunner runner) =>
        BackendFactory.Create(deployment, runner, context.Environment(runner));

    /// <summary>The absolute deployment directory, after the checks every deployment command makes.</summary>
    private static string OpenDirectory(CliContext context, ParseResult parse)
    {
        if (parse.GetValue(context.Stack) is not null)
        {
            throw new SlipwayException(FailureReason.InvalidInput, "--stack can't be given with the deployment command: the deployment directory names its stack");
        }

        var directory = Path.Combine(context.Environment().CurrentDirectory, parse.GetValue(context.Dir)!);
        return Deployment.Open(directory).Layout.Directory;
    }

    /// <summary>The volumes the pod files declare, placed as the spec in D says (pure; the same table deploy create prints).</summary>
    private static IReadOnlyList<VolumePlacement> VolumePlacements(Deployment deployment)
    {
        var declared = new List<string>();
        foreach (var file in deployment.PodComposeFiles.Where(File.Exists))
        {
            if (Slipway.Core.Yaml.YamlDocuments.Load(File.ReadAllText(file), file, new DiagnosticBag()) is YamlMappingNode root
                && root.Children.TryGetValue(new YamlScalarNode("volumes"), out var node)
                && node is YamlMappingNode volumes)
            {
                declared.AddRange(volumes.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value!));
            }
        }

        var spec = deployment.Spec;
        return KubernetesVolumes.Placements(spec, declared, deployment.Layout.Directory, deployment.Identity.DeploymentId);
    }

    private static Dictionary<string, string> ParseImages(IEnumerable<string> values)
    {
        var images = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var eq = value.IndexOf('=');
            if (eq <= 0 || eq == value.Length - 1)
            {
                throw new SlipwayException(FailureReason.InvalidInput, $"--image '{value}' must be SERVICE=IMAGE", "e.g. --image web=registry.example/web:3f2a9c1d0b7e");
            }

            images[value[..eq]] = value[(eq + 1)..];
        }

        return images;
    }

    /// <summary>D's rendered files against the current revision's snapshot: added, changed, removed.</summary>
    private static IReadOnlyList<(string Path, string Change)> FileChanges(Deployment deployment, RevisionStore store, RevisionRecord? current)
    {
        if (current is null) return [];
        var snapshot = Path.Combine(store.Directory(current.Number), "files");
        var now = RevisionStore.RenderedFiles(deployment.Layout);
        var then = Directory.Exists(snapshot)
            ? Directory.EnumerateFiles(snapshot, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(snapshot, f).Replace('\\', '/')).ToHashSet(StringComparer.Ordinal)
            : [];
        var changes = new List<(string, string)>();
        foreach (var file in now)
        {
            if (!then.Contains(file)) changes.Add((file, "added"));
            else if (!File.ReadAllBytes(Path.Combine(deployment.Layout.Directory, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(snapshot, file)))) changes.Add((file, "changed"));
        }

        changes.AddRange(then.Where(f => !now.Contains(f)).Order(StringComparer.Ordinal).Select(f => (f, "removed")));
        return changes.OrderBy(c => c.Item1, StringComparer.Ordinal).ToList();
    }

    private static void WriteMap(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string> map)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in map.OrderBy(m => m.Key, StringComparer.Ordinal)) writer.WriteString(key, value);
        writer.WriteEndObject();
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            write(writer);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
