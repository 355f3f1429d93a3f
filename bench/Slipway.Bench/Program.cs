// Slipway benchmarks: print figures (median, min, max over N runs); not a test. Run: bench/run.sh
//   1. cold start of the published CLI (`slipway version`), direct and through the ./slipway launcher
//   2. `deploy init` + `deploy create` on a generated 200-service stack
//   3. `deployment start` vs the raw `docker compose ... up` it runs (from stopped, and the no-change case)
//   k8s: rendering a 200-service stack for Kubernetes, in process (K8sRenderBench.cs; --only k8s)
//   4. the pipeline: no-op restart, start of a new revision vs raw `compose up --wait` (PipelineBench.cs)
//   5. no-op GitOps restart vs raw `git pull` + `compose up --wait` (RestartBench.cs)
// Usage: Slipway.Bench --repo ROOT [--only cold,create,start,pipeline,restart,k8s] [--wait-quiet SECONDS]
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Slipway.Infrastructure.Backends.Compose;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Processes;

namespace Slipway.Bench;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var repo = Arg(args, "--repo") ?? Directory.GetCurrentDirectory();
        repo = Path.GetFullPath(repo);
        var only = (Arg(args, "--only") ?? "cold,create,start,pipeline,restart").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        using var cts = new CancellationTokenSource();
        System.Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true; // let the finally blocks clean up
            cts.Cancel();
        };

        var bench = new Bench(repo, cts.Token);
        if (Arg(args, "--wait-quiet") is { } quiet)
        {
            await Bench.WaitQuietAsync(TimeSpan.FromSeconds(double.Parse(quiet, CultureInfo.InvariantCulture)), cts.Token);
        }

        try
        {
            await bench.CheckPrerequisitesAsync(needDocker: only.Contains("start") || only.Contains("pipeline") || only.Contains("restart"));
            bench.PrintMachine();
            if (only.Contains("cold")) await bench.ColdStartAsync(20);
            if (only.Contains("create")) await bench.InitCreateAsync(pods: 20, servicesPerPod: 10, runs: 5);
            if (only.Contains("start")) await bench.StartVsComposeAsync(runs: 5);
            if (only.Contains("k8s") || Arg(args, "--only") is null) K8sRenderBench.Run(bench, pods: 20, servicesPerPod: 10, runs: 5);
            if (only.Contains("pipeline")) await bench.PipelineAsync(runs: 5);
            if (only.Contains("restart")) await bench.RestartVsRawAsync(runs: 5);
            bench.PrintSummary();
            return 0;
        }
        catch (BenchFailure ex)
        {
            System.Console.Error.WriteLine($"bench: FAILED: {ex.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            System.Console.Error.WriteLine("bench: interrupted");
            return 130;
        }
    }

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}

internal sealed class BenchFailure(string message) : Exception(message);

/// <summary>One measured row: a name, the samples (ms) and an optional note.</summary>
internal sealed record Row(string Section, string Name, IReadOnlyList<double> Samples, IReadOnlyList<double>? Cpu = null, string Note = "")
{
    public double CpuMedian => Cpu is null ? double.NaN : Stats.Median(Cpu);

    public double Median => Stats.Median(Samples);

    public static Row Of(string section, string name, IReadOnlyList<RunResult> runs, string note = "") =>
        new(section, name, runs.Select(r => r.Ms).ToList(), runs.Select(r => r.CpuMs).ToList(), note);
}

internal static class Stats
{
    public static double Median(IReadOnlyList<double> xs)
    {
        if (xs.Count == 0) return double.NaN;
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    public static string Ms(double ms) => double.IsNaN(ms) ? "-" : ms.ToString("0", CultureInfo.InvariantCulture);
}

/// <summary>Ms = wall time; CpuMs = user+sys CPU of the process and the descendants it waited for (getrusage RUSAGE_CHILDREN delta).</summary>
internal sealed record RunResult(int ExitCode, double Ms, double CpuMs, string StdOut, string StdErr);

internal static class ChildCpu
{
    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UtimeSec, UtimeUsec, StimeSec, StimeUsec;
        public long R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, R13;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, out RUsage usage);

    /// <summary>Total CPU (ms) of all reaped children so far; NaN where getrusage is unavailable.</summary>
    public static double TotalMs()
    {
        try
        {
            if (getrusage(-1, out var u) != 0) return double.NaN;
            return (u.UtimeSec + u.StimeSec) * 1000.0 + (u.UtimeUsec + u.StimeUsec) / 1000.0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return double.NaN;
        }
    }
}

internal sealed partial class Bench(string repo, CancellationToken ct)
{
    private readonly string _cli = Path.Combine(repo, "artifacts", "slipway", "slipway");
    private readonly string _launcher = Path.Combine(repo, "slipway");
    private readonly string _helloStack = Path.Combine(repo, "stacks", "hello");
    private readonly List<Row> _rows = [];
    private readonly List<(string Target, string Measured, bool Met)> _targets = [];
    private string _docker = "?";
    private string _compose = "?";

    public async Task CheckPrerequisitesAsync(bool needDocker)
    {
        if (!File.Exists(_cli))
        {
            throw new BenchFailure($"{_cli} is missing: build it with ./slipway version (bench/run.sh does this)");
        }

        try
        {
            var d = await RunAsync("docker", ["version", "--format", "{{.Server.Version}}"]);
            _docker = d.ExitCode == 0 ? d.StdOut.Trim() : "unavailable";
            var c = await RunAsync("docker", ["compose", "version", "--short"]);
            _compose = c.ExitCode == 0 ? c.StdOut.Trim() : "unavailable";
            if (needDocker && (d.ExitCode != 0 || c.ExitCode != 0))
            {
                throw new BenchFailure($"the Docker Engine or the compose plugin does not answer:\n{d.StdErr}{c.StdErr}".TrimEnd());
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            if (needDocker) throw new BenchFailure("docker is not installed (not on PATH); it is needed for the start benchmark (--only cold,create runs without it)");
            _docker = _compose = "not installed";
        }

        if (needDocker)
        {
            var image = await RunAsync("docker", ["image", "inspect", "--format", "{{.Id}}", "slipway/hello:local"]);
            if (image.ExitCode != 0)
            {
                throw new BenchFailure("image slipway/hello:local is missing: ./slipway --stack stacks/hello build-containers (bench/run.sh does this)");
            }
        }
    }

    public void PrintMachine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
            : "?";
        var version = RunAsync(_cli, ["version"]).GetAwaiter().GetResult().StdOut.Trim();
        Line($"machine: nproc={Environment.ProcessorCount} cpu=\"{cpu}\" kernel={Environment.OSVersion.Version} .NET={Environment.Version}");
        Line($"docker engine {_docker}, docker compose {_compose}; {version}");
        Line($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Load()}");
        Line("times in ms: wall median/min/max over N runs; cpu = median user+sys CPU of the process tree (less sensitive to other load)");
        Line("");
    }

    // ---------------------------------------------------------------- 1. cold start

    public async Task ColdStartAsync(int n)
    {
        Line($"[1/3] cold start: `slipway version` as a fresh process, N={n} (one untimed warm-up run each); {Load()}");
        // Interleaved, so that load from other processes hits both alike.
        var direct = new List<RunResult>();
        var launcher = new List<RunResult>();
        Check(await RunAsync(_cli, ["version"]), "warm-up");
        Check(await RunAsync(_launcher, ["version"]), "warm-up");
        for (var i = 0; i < n; i++)
        {
            ct.ThrowIfCancellationRequested();
            direct.Add(Check(await RunAsync(_cli, ["version"]), "slipway version"));
            launcher.Add(Check(await RunAsync(_launcher, ["version"]), "./slipway version"));
        }

        var d = Row.Of("1 cold start", "artifacts/slipway/slipway version", direct);
        var l = Row.Of("1 cold start", "./slipway version (launcher)", launcher);
        Add(d);
        Add(l with { Note = $"launcher overhead {Stats.Ms(l.Median - d.Median)} ms wall, {Stats.Ms(l.CpuMedian - d.CpuMedian)} ms CPU" });
        Target("cold start median < 100 ms", d.Median, d.Median < 100);

        // The same question of a CLI of the same family (a Go binary), interleaved with slipway's in the same run.
        if (await RunAsync("kubectl", ["version", "--client"]) is { ExitCode: 0 })
        {
            var kubectl = new List<RunResult>();
            var slipway = new List<RunResult>();
            for (var i = 0; i < n; i++)
            {
                kubectl.Add(Check(await RunAsync("kubectl", ["version", "--client"]), "kubectl version --client"));
                slipway.Add(Check(await RunAsync(_cli, ["version"]), "slipway version"));
            }

            var k = Row.Of("1 cold start", "kubectl version --client", kubectl);
            var s = Row.Of("1 cold start", "slipway version (interleaved with kubectl)", slipway);
            Add(k);
            Add(s);
            var ratio = s.CpuMedian / k.CpuMedian;
            Line($"    ratio slipway/kubectl version, CPU: {ratio.ToString("0.00", CultureInfo.InvariantCulture)}");
            Target("slipway version CPU <= 1.2x kubectl version --client", ratio, ratio <= 1.2, ratio: true);
        }
        else
        {
            Line("    kubectl is not installed: no comparison with kubectl version --client");
        }
    }

    // ---------------------------------------------------------------- 2. deploy init + create

    public async Task InitCreateAsync(int pods, int servicesPerPod, int runs)
    {
        var services = pods * servicesPerPod;
        Line($"[2/3] deploy init + deploy create, generated stack of {pods} pods x {servicesPerPod} services = {services}, N={runs} (one untimed warm-up); {Load()}");
        var root = Directory.CreateTempSubdirectory("slipway-bench-create-").FullName;
        try
        {
            var stack = GenerateStack(Path.Combine(root, "stack"), pods, servicesPerPod);
            var init = new List<RunResult>();
            var create = new List<RunResult>();
            for (var i = -1; i < runs; i++)
            {
                ct.ThrowIfCancellationRequested();
                var spec = Path.Combine(root, $"spec-{i + 1}.yml");
                var dir = Path.Combine(root, $"deployment-{i + 1}");
                var a = await RunAsync(_cli, ["--stack", stack, "deploy", "init", "--output", spec, "--map-ports-to-host", "localhost-fixed-random", "--config", "BENCH_MODE=bench"], root);
                Check(a, "deploy init");
                var b = await RunAsync(_cli, ["--stack", stack, "deploy", "create", "--spec-file", spec, "--deployment-dir", dir], root);
                Check(b, "deploy create");
                if (i == -1)
                {
                    var files = Directory.GetFiles(Path.Combine(dir, "compose")).Length;
                    if (files != pods) throw new BenchFailure($"deploy create wrote {files} compose files, expected {pods}");
                    continue;
                }

                init.Add(a);
                create.Add(b);
            }

            var sum = init.Zip(create, (x, y) => new RunResult(0, x.Ms + y.Ms, x.CpuMs + y.CpuMs, "", "")).ToList();
            Add(Row.Of("2 init+create", $"deploy init ({services} services)", init));
            Add(Row.Of("2 init+create", $"deploy create ({services} services)", create));
            var total = Row.Of("2 init+create", "init + create (per run)", sum);
            Add(total);
            Target("init + create < 1000 ms", total.Median, total.Median < 1000);
        }
        finally
        {
            TryDelete(root);
        }
    }

    /// <summary>stack.yml + compose/docker-compose-pod-NN.yml + config/pod-NN/app.conf, in laconic-so's layout.</summary>
    private static string GenerateStack(string dir, int pods, int servicesPerPod)
    {
        Directory.CreateDirectory(Path.Combine(dir, "compose"));
        var stackYml = new StringBuilder("version: \"1.0\"\nname: bench\ndescription: \"generated by bench/Slipway.Bench\"\ncontainers:\n  - slipway/hello\npods:\n");
        for (var p = 0; p < pods; p++)
        {
            var pod = $"pod-{p:00}";
            stackYml.Append(CultureInfo.InvariantCulture, $"  - {pod}\n");
            var config = Path.Combine(dir, "config", pod);
            Directory.CreateDirectory(config);
            File.WriteAllText(Path.Combine(config, "app.conf"), $"# config of {pod}\nlisten=80\n");
            var compose = new StringBuilder($"# pod {pod} (generated)\nservices:\n");
            for (var s = 0; s < servicesPerPod; s++)
            {
                var svc = $"svc-{p:00}-{s:00}";
                var var = $"SVC_{p:00}_{s:00}_GREETING";
                compose.Append(CultureInfo.InvariantCulture, $$"""
                      {{svc}}:
                        image: slipway/hello:local
                        command: ["web"]
                        environment:
                          GREETING: ${{{var}}:-hello from {{svc}}}
                          MODE: ${BENCH_MODE:-default}
                        ports:
                          - "80"
                        volumes:
                          - data-{{pod}}:/data
                          - ../config/{{pod}}/app.conf:/etc/app.conf:ro

                    """);
            }

            compose.Append(CultureInfo.InvariantCulture, $"volumes:\n  data-{pod}:\n");
            File.WriteAllText(Path.Combine(dir, "compose", $"docker-compose-{pod}.yml"), compose.ToString());
        }

        File.WriteAllText(Path.Combine(dir, "stack.yml"), stackYml.ToString());
        return dir;
    }

    // ---------------------------------------------------------------- 3. start vs raw compose

    public async Task StartVsComposeAsync(int runs)
    {
        Line($"[3/3] deployment start vs the raw `docker compose ... up` it runs (stacks/hello: 2 services), N={runs} each, interleaved; {Load()}");
        var root = Directory.CreateTempSubdirectory("slipway-bench-start-").FullName;
        string? dir = null;
        string? project = null;
        try
        {
            dir = Path.Combine(root, "deployment");
            var (deployment, backend, unset) = await CreateHelloAsync(root, dir);
            project = deployment.Identity.DeploymentId;

            // The identical command line `deployment start` runs: same project (deployment-id), env file and compose files.
            IReadOnlyList<string> up = backend.Compose.ProjectArguments("up", "--detach", "--wait", "--wait-timeout", "300", "--remove-orphans");
            // start's apply stage leaves health to its verify stage (docker ps polls), so its compose command has no --wait.
            IReadOnlyList<string> applied = backend.Compose.ProjectArguments("up", "--detach", "--remove-orphans");
            var down = backend.Compose.ProjectArguments("down", "--remove-orphans");
            var ps = backend.Compose.ProjectArguments("ps", "--all", "--format", "json");
            Task<RunResult> Raw(IReadOnlyList<string> a) => RunAsync("docker", a, dir, unset);
            Task<RunResult> Slipway(params string[] a) => RunAsync(_cli, ["deployment", "--dir", dir, .. a], root);

            Check(await Raw(down), "compose down (initial)");

            // slipway's own cost: the same start with docker replaced by a stub (no engine work at all), each run traced.
            var stub = new List<RunResult>();
            var traces = new List<string>();
            for (var i = -1; i < runs * 2; i++)
            {
                var trace = Path.Combine(root, $"trace-{i + 1}.tsv");
                var r = Check(await RunAsync(_cli, ["deployment", "--dir", dir, "start"], root, environment: new() { ["SLIPWAY_DOCKER"] = StubDocker(root), ["SLIPWAY_TRACE"] = trace }),
                    "slipway start with a stub docker");
                if (i < 0) continue;
                stub.Add(r);
                traces.Add(trace);
            }

            // Warm-up (untimed): one start/stop each, and check that slipway ran exactly the command we compare with.
            var logsBefore = LogFiles(dir, "start");
            Check(await Slipway("start"), "slipway deployment start (warm-up)");
            var logged = LoggedCommands(LogFiles(dir, "start").Except(logsBefore));
            // start's build stage pins the stack's image to its immutable tag through one more compose file; the raw
            // command gets the same file, so both start the same image (the build stage's git/inspect cost stays Slipway's).
            var pins = Path.Combine(dir, ".slipway", "compose-images.yml");
            if (File.Exists(pins))
            {
                up = WithFile(up, pins);
                applied = WithFile(applied, pins);
            }

            var expected = "docker " + string.Join(' ', applied);
            var composeUp = logged.FirstOrDefault(l => l.StartsWith("docker compose ", StringComparison.Ordinal) && l.Contains(" up ", StringComparison.Ordinal));
            if (composeUp != expected)
            {
                throw new BenchFailure($"slipway ran a different command than the raw one:\n  slipway: {composeUp}\n  raw:     {expected}");
            }

            Check(await Slipway("stop"), "slipway deployment stop (warm-up)");
            Check(await Raw(up), "raw compose up (warm-up)");
            Check(await Raw(down), "raw compose down (warm-up)");

            // From stopped: each iteration does `down` (untimed) before each measured `up`. Order alternates.
            var slipCold = new List<RunResult>();
            var rawCold = new List<RunResult>();
            var slipUpPart = new List<double>();
            var slipPsPart = new List<double>();
            var slipRest = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                foreach (var which in i % 2 == 0 ? new[] { "slipway", "raw" } : ["raw", "slipway"])
                {
                    ct.ThrowIfCancellationRequested();
                    if (which == "slipway")
                    {
                        var before = LogFiles(dir, "start");
                        var r = Check(await Slipway("start"), "slipway deployment start");
                        slipCold.Add(r);
                        var phases = Phases(dir, before, r);
                        if (phases is { } p)
                        {
                            slipUpPart.Add(p.Up);
                            slipPsPart.Add(p.Ps);
                            slipRest.Add(r.Ms - p.Up - p.Ps);
                        }

                        Check(await Slipway("stop"), "slipway deployment stop");
                    }
                    else
                    {
                        rawCold.Add(Check(await Raw(up), "raw compose up"));
                        Check(await Raw(down), "raw compose down");
                    }
                }
            }

            // No change: the deployment is running; `start` again vs raw `up` again (nothing to create).
            Check(await Raw(up), "raw compose up (bring up for the no-change case)");
            var slipWarm = new List<RunResult>();
            var rawWarm = new List<RunResult>();
            var warmUpPart = new List<double>();
            var warmPsPart = new List<double>();
            var warmRest = new List<double>();
            var rawPs = new List<RunResult>();
            for (var i = 0; i < runs; i++)
            {
                foreach (var which in i % 2 == 0 ? new[] { "slipway", "raw" } : ["raw", "slipway"])
                {
                    ct.ThrowIfCancellationRequested();
                    if (which == "slipway")
                    {
                        var before = LogFiles(dir, "start");
                        var r = Check(await Slipway("start"), "slipway deployment start (no change)");
                        slipWarm.Add(r);
                        if (Phases(dir, before, r) is { } p)
                        {
                            warmUpPart.Add(p.Up);
                            warmPsPart.Add(p.Ps);
                            warmRest.Add(r.Ms - p.Up - p.Ps);
                        }
                    }
                    else
                    {
                        rawWarm.Add(Check(await Raw(up), "raw compose up (no change)"));
                        rawPs.Add(Check(await Raw(ps), "raw compose ps"));
                    }
                }
            }

            Add(Row.Of("3 start (from stopped)", "slipway deployment start", slipCold));
            Add(Row.Of("3 start (from stopped)", "raw docker compose up --wait", rawCold));
            Add(new Row("3 start (from stopped)", "  slipway: its compose up (from its log)", slipUpPart));
            Add(new Row("3 start (from stopped)", "  slipway: its docker ps (verify's polls)", slipPsPart));
            Add(new Row("3 start (from stopped)", "  slipway: rest (CLI, D, waits between polls)", slipRest));
            Add(Row.Of("3 start (no change)", "slipway deployment start", slipWarm));
            Add(Row.Of("3 start (no change)", "raw docker compose up --wait (no-op)", rawWarm));
            Add(new Row("3 start (no change)", "  slipway: its compose up (from its log)", warmUpPart));
            Add(new Row("3 start (no change)", "  slipway: its docker ps (verify's polls)", warmPsPart));
            Add(new Row("3 start (no change)", "  slipway: rest (CLI, D, waits between polls)", warmRest));
            Add(Row.Of("3 start (no change)", "raw docker compose ps --format json", rawPs));
            var own = Row.Of("3 start (slipway only)", "slipway start, SLIPWAY_DOCKER=stub", stub, "CLI start + open D + lock + run.json + log + git and stub children + record + print");
            Add(own);
            Line("    where the stub start's time goes (medians over the traced runs, ms):");
            foreach (var line in TraceBreakdown.Lines(traces)) Line("      " + line);
            Target("own cost of a start (stub engine) <= 120 ms CPU", own.CpuMedian, own.CpuMedian <= 120);
            var coldRatio = Stats.Median(slipCold.Select(r => r.Ms).ToList()) / Stats.Median(rawCold.Select(r => r.Ms).ToList());
            var warmRatio = Stats.Median(slipWarm.Select(r => r.Ms).ToList()) / Stats.Median(rawWarm.Select(r => r.Ms).ToList());
            Line($"    ratio slipway/raw, from stopped: {coldRatio:0.00}   no change: {warmRatio:0.00}");
            Explain("from stopped", slipCold, rawCold, slipUpPart, slipPsPart, slipRest);
            Explain("no change", slipWarm, rawWarm, warmUpPart, warmPsPart, warmRest);
            Target("start from stopped: slipway/raw <= 1.10", coldRatio, coldRatio <= 1.10, ratio: true);
            Target("start no change: slipway/raw <= 1.05", warmRatio, warmRatio <= 1.05, ratio: true);
        }
        finally
        {
            // Clean up whatever state we left: slipway stop, then a raw down in case D could not be opened.
            if (dir is not null && Directory.Exists(dir))
            {
                try
                {
                    await RunAsync(_cli, ["deployment", "--dir", dir, "stop", "--delete-volumes"], root, token: CancellationToken.None);
                }
                catch (Exception ex)
                {
                    System.Console.Error.WriteLine($"bench: cleanup: slipway stop failed: {ex.Message}");
                }
            }

            if (project is not null)
            {
                await RunAsync("docker", ["compose", "--project-name", project, "down", "--volumes", "--remove-orphans"], root, token: CancellationToken.None);
                var left = await RunAsync("docker", ["ps", "--all", "--quiet", "--filter", $"label=com.docker.compose.project={project}"], root, token: CancellationToken.None);
                if (left.StdOut.Trim().Length > 0) System.Console.Error.WriteLine($"bench: WARNING: containers of project {project} are left: {left.StdOut.Trim()}");
            }

            TryDelete(root);
        }
    }

    /// <summary>
    /// Where slipway's time goes against raw `compose up --wait`: its own compose up (without --wait), verify's docker ps
    /// polls, and the rest (the CLI, the waits between polls while a healthcheck turns healthy, record, print).
    /// </summary>
    private static void Explain(string what, List<RunResult> slip, List<RunResult> raw, List<double> up, List<double> ps, List<double> rest)
    {
        double M(IEnumerable<double> xs) => Stats.Median(xs.ToList());
        var extra = M(slip.Select(r => r.Ms)) - M(raw.Select(r => r.Ms));
        Line($"    {what}: slipway - raw = {Stats.Ms(extra)} ms; its compose up (no --wait) - raw up --wait = {Stats.Ms(M(up) - M(raw.Select(r => r.Ms)))} ms, "
            + $"docker ps for verify's health polls {Stats.Ms(M(ps))} ms, rest (CLI, open D, waits between polls, record, print) {Stats.Ms(M(rest))} ms (medians; parts need not add up)");
    }

    private static string[] LogFiles(string dir, string command) =>
        Directory.Exists(Path.Combine(dir, ".slipway", "logs"))
            ? Directory.GetFiles(Path.Combine(dir, ".slipway", "logs"), $"*-{command}*.log")
            : [];

    /// <summary>
    /// deploy init + create of the example stack into <paramref name="dir"/>, its compose backend, and the variables
    /// ComposeBackend unsets for docker (COMPOSE_* and the config keys), so raw commands run in the same environment.
    /// </summary>
    private async Task<(DeploymentSession Deployment, ComposeBackend Backend, List<string> Unset)> CreateHelloAsync(string root, string dir)
    {
        var spec = Path.Combine(root, "spec.yml");
        Check(await RunAsync(_cli, ["--stack", _helloStack, "deploy", "init", "--output", spec, "--map-ports-to-host", "localhost-fixed-random", "--config", "GREETING=bench"], root), "deploy init (hello)");
        Check(await RunAsync(_cli, ["--stack", _helloStack, "deploy", "create", "--spec-file", spec, "--deployment-dir", dir], root), "deploy create (hello)");
        var deployment = DeploymentSession.Open(dir);
        var unset = new List<string> { "COMPOSE_PROJECT_NAME", "COMPOSE_FILE", "COMPOSE_PROFILES", "COMPOSE_ENV_FILES", "COMPOSE_STATUS_STDOUT" };
        unset.AddRange(deployment.Config.Select(c => c.Key));
        return (deployment, new ComposeBackend(deployment, new Slipway.Infrastructure.Tools.Docker(new SystemProcessRunner())), unset);
    }

    /// <summary>The compose arguments with one more --file before the subcommand (after the last --file).</summary>
    private static IReadOnlyList<string> WithFile(IReadOnlyList<string> arguments, string file)
    {
        var list = arguments.ToList();
        var last = list.FindLastIndex(a => a == "--file");
        list.InsertRange(last + 2, ["--file", file]);
        return list;
    }

    /// <summary>The child commands logged in these slipway logs (D/.slipway/logs/*-COMMAND.log), oldest log first.</summary>
    private static List<string> LoggedCommands(IEnumerable<string> logs) =>
        logs.Order(StringComparer.Ordinal)
            .SelectMany(File.ReadLines)
            .Select(l => l.Split(' ', 3))
            .Where(p => p.Length == 3 && p[1] == "$")
            .Select(p => p[2])
            .ToList();

    /// <summary>From the run's new log file: how long its compose up and compose ps took ("exit 0 after X.XXXs: docker compose ... up|ps").</summary>
    private static (double Up, double Ps)? Phases(string dir, string[] before, RunResult run)
    {
        var log = LogFiles(dir, "start").Except(before).SingleOrDefault();
        if (log is null) return null;
        double up = 0, ps = 0;
        foreach (var line in File.ReadLines(log))
        {
            var i = line.IndexOf(" exit 0 after ", StringComparison.Ordinal);
            if (i < 0) continue;
            var rest = line[(i + " exit 0 after ".Length)..];
            var s = rest.IndexOf("s: ", StringComparison.Ordinal);
            var ms = double.Parse(rest[..s], CultureInfo.InvariantCulture) * 1000;
            if (rest.Contains(" up --detach", StringComparison.Ordinal)) up += ms;
            else if (rest.Contains(" ps --all", StringComparison.Ordinal)) ps += ms;
        }

        return (up, ps);
    }

    // ---------------------------------------------------------------- helpers

    private static RunResult Check(RunResult r, string what) =>
        r.ExitCode == 0 ? r : throw new BenchFailure($"{what} exited with {r.ExitCode}:\n{Tail(r.StdErr + r.StdOut)}");

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(15));

    /// <summary>Runs a process to completion; the time is from Process.Start until exit (output read concurrently).</summary>
    private async Task<RunResult> RunAsync(string file, IReadOnlyList<string> args, string? cwd = null, IReadOnlyList<string>? unsetEnvironment = null, CancellationToken? token = null, Dictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = cwd ?? repo,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var key in unsetEnvironment ?? []) psi.Environment.Remove(key);
        foreach (var (key, value) in environment ?? []) psi.Environment[key] = value;
        using var process = new Process { StartInfo = psi };
        var cpuBefore = ChildCpu.TotalMs();
        var sw = Stopwatch.StartNew();
        process.Start();
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync(token ?? ct);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw;
        }

        sw.Stop();
        var output = await stdout;
        var error = await stderr;
        // The runtime reaps the child on SIGCHLD; make sure its rusage is in before reading the delta.
        for (var i = 0; i < 20 && !process.HasExited; i++) await Task.Delay(1, CancellationToken.None);
        return new RunResult(process.ExitCode, sw.Elapsed.TotalMilliseconds, ChildCpu.TotalMs() - cpuBefore, output, error);
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            System.Console.Error.WriteLine($"bench: could not delete {path}: {ex.Message}");
        }
    }

    internal void Add(Row row)
    {
        _rows.Add(row);
        Line($"    {row.Name,-44} median {Stats.Ms(row.Median),6}  min {Stats.Ms(row.Samples.DefaultIfEmpty(double.NaN).Min()),6}  max {Stats.Ms(row.Samples.DefaultIfEmpty(double.NaN).Max()),6}  cpu {Stats.Ms(row.CpuMedian),6}  (n={row.Samples.Count})");
    }

    internal void Target(string target, double measured, bool met, bool ratio = false) =>
        _targets.Add((target, ratio ? measured.ToString("0.00", CultureInfo.InvariantCulture) : Stats.Ms(measured) + " ms", met));

    private static void Line(string text) => System.Console.WriteLine(text);

    /// <summary>Waits (at most <paramref name="limit"/>) until the 1-minute load average is below nproc.</summary>
    public static async Task WaitQuietAsync(TimeSpan limit, CancellationToken token)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < limit && File.Exists("/proc/loadavg")
            && double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture) >= Environment.ProcessorCount)
        {
            System.Console.Error.WriteLine($"bench: waiting for a quieter machine ({Load()}) ...");
            await Task.Delay(TimeSpan.FromSeconds(10), token);
        }
    }

    /// <summary>The 1/5/15-minute load averages: figures taken while other processes load the cores are inflated.</summary>
    public static string Load()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            var one = double.Parse(parts[0], CultureInfo.InvariantCulture);
            var busy = one > Environment.ProcessorCount ? $" (busy: load > nproc={Environment.ProcessorCount}; wall times are inflated)" : "";
            return $"load average {parts[0]} {parts[1]} {parts[2]}{busy}";
        }
        catch (IOException)
        {
            return "load average unknown";
        }
    }

    public void PrintSummary()
    {
        Line("");
        Line("== summary (ms) ==");
        var nameWidth = Math.Max(44, _rows.Max(r => r.Name.Length));
        var header = $"| {"section",-22} | {"measurement".PadRight(nameWidth)} | {"n",2} | {"median",7} | {"min",7} | {"max",7} | {"cpu",5} | note";
        Line(header);
        Line("|" + new string('-', 24) + "|" + new string('-', nameWidth + 2) + "|----|---------|---------|---------|-------|-----");
        foreach (var r in _rows)
        {
            var min = r.Samples.DefaultIfEmpty(double.NaN).Min();
            var max = r.Samples.DefaultIfEmpty(double.NaN).Max();
            Line($"| {r.Section,-22} | {r.Name.PadRight(nameWidth)} | {r.Samples.Count,2} | {Stats.Ms(r.Median),7} | {Stats.Ms(min),7} | {Stats.Ms(max),7} | {Stats.Ms(r.CpuMedian),5} | {r.Note}");
        }

        Line("");
        Line($"== targets == ({Load()})");
        foreach (var (target, measured, met) in _targets)
        {
            Line($"  {(met ? "MET " : "MISS")}  {target,-44} measured {measured}");
        }

    }
}
