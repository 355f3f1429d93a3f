using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Slipway.Cli.Console;
using Slipway.Infrastructure.Fleet;

namespace Slipway.Cli.Output;

/// <summary>
/// A fleet run on the console: on a terminal a per-host table redrawn in place as hosts change; otherwise one plain line
/// per change; <c>--output json</c> prints the fleet run record on stdout at the end.
/// </summary>
internal sealed class FleetOutput(ConsoleUi ui, bool json)
{
    private readonly object _gate = new();
    private int _drawn;

    /// <summary>Confirmation needs someone to answer: stdin and stderr on a terminal.</summary>
    public static bool CanAsk(ConsoleUi ui) => ui.Interactive && !System.Console.IsInputRedirected;

    public void Changed(FleetRun run, FleetHostRun host, FleetItemRun? item)
    {
        lock (_gate)
        {
            if (ui.Interactive && !ui.Quiet)
            {
                Redraw(run);
                return;
            }

            if (item is null && host.State == "pending") ui.Info($"{host.Host}: prepared ({host.Checks.Count(c => !c.Failed)} checks passed)");
            else if (item is null) ui.Info($"{host.Host}: {host.State}{(host.Message is null ? "" : " - " + host.Message)}");
            else ui.Info($"{host.Host} {item.Deployment}: {item.State}{Details(item)}");
        }
    }

    public bool Confirm(FleetRun run, IReadOnlyDictionary<string, Dictionary<string, string>> plans, bool ask, string verb)
    {
        lock (_gate)
        {
            _drawn = 0;
            Plan(ui, run, plans, toError: true);
            if (!ask) return true;
            var targets = run.Hosts.Where(h => h.State == "pending").ToList();
            ui.Error.Write($"{verb} {string.Join(", ", targets.SelectMany(h => h.Deployments.Where(d => d.State == "pending").Select(d => d.Deployment)).Distinct())} on {targets.Count} host{(targets.Count == 1 ? "" : "s")} ({string.Join(", ", targets.Select(h => h.Host))})? [y/N] ");
            var answer = System.Console.In.ReadLine()?.Trim();
            return answer is "y" or "Y" or "yes" or "YES" or "Yes";
        }
    }

    /// <summary>Prints how the run ended and returns its exit code.</summary>
    public int Finish(FleetRun run, string stateDirectory)
    {
        if (json) Json(ui, run, null);
        else if (ui.Interactive) Redraw(run);
        var file = Path.Combine(stateDirectory, "runs", run.Id + ".json");
        switch (run.State)
        {
            case "succeeded":
                ui.Info($"fleet {run.Command} {run.Id} succeeded on {run.Hosts.Count(h => h.State == "succeeded")} host(s){(run.Message is null ? "" : "; " + run.Message)}; record {file}");
                return ExitCodes.Success;
            case "declined":
                ui.Fail(run.Message ?? "not confirmed");
                return ExitCodes.Interrupted;
            case "refused":
                ui.Fail(run.Message ?? "prepare failed");
                ui.Error.WriteLine($"record: {file}");
                return ExitCodes.PrerequisiteMissing;
            default:
                ui.Fail($"fleet {run.Command} {run.Id} failed: {run.Message}");
                ui.Error.WriteLine("hint: slipway fleet diagnose, then fix and slipway fleet resume (or slipway fleet rollback)");
                ui.Error.WriteLine($"record: {file}");
                var item = run.Hosts.SelectMany(h => h.Deployments).FirstOrDefault(d => d.State is not ("succeeded" or "pending" or "skipped"));
                return item?.State switch
                {
                    "rolled-back" => ExitCodes.RolledBack,
                    "rollback-failed" => ExitCodes.RollbackFailed,
                    "unreachable" => ExitCodes.PrerequisiteMissing,
                    _ when item?.ExitCode is > 0 and < 128 => item.ExitCode.Value,
                    _ => ExitCodes.DeploymentFailed,
                };
        }
    }

    public static void Plan(ConsoleUi ui, FleetRun run, IReadOnlyDictionary<string, Dictionary<string, string>> plans, bool toError = false)
    {
        var write = toError ? (Action<string>)ui.Error.WriteLine : ui.Result;
        write($"fleet plan at commit {run.Commit[..Math.Min(12, run.Commit.Length)]}:");
        foreach (var host in run.Hosts)
        {
            var repo = host.Checks.FirstOrDefault(c => c.Name == "repo" && !c.Failed)?.Detail;
            write($"{host.Host}: {(host.State is "pending" or "ready" ? "ready" : host.State)}{(host.Message is null ? "" : " - " + host.Message)}{(repo is null ? "" : " - repo " + repo)}");
            foreach (var item in host.Deployments)
            {
                var text = plans.TryGetValue(host.Host, out var p) && p.TryGetValue(item.Deployment, out var planJson) ? Describe(planJson)
                    : host.Checks.FirstOrDefault(c => c.Deployment == item.Deployment && c.Name == "dir")?.Detail ?? "";
                write($"  {item.Deployment}: {(item.State == "pending" ? "" : item.State + " ")}{text}");
            }
        }
    }

    public static void Summary(ConsoleUi ui, FleetRun run)
    {
        ui.Result($"fleet run {run.Id} ({run.Command}{(run.Of is null ? "" : " of " + run.Of)}) at commit {run.Commit[..Math.Min(12, run.Commit.Length)]}: {run.State}{(run.Message is null ? "" : " - " + run.Message)}");
        ui.Table(["HOST", "DEPLOYMENT", "STATE", "RUN", "REVISION", "SECONDS"], Rows(run));
    }

    public static void Json(ConsoleUi ui, FleetRun run, IReadOnlyDictionary<string, Dictionary<string, string>>? plans)
    {
        var node = JsonNode.Parse(JsonSerializer.Serialize(run, FleetJson.Default.FleetRun))!.AsObject();
        if (plans is not null)
        {
            var all = new JsonObject();
            foreach (var (host, byDeployment) in plans)
            {
                var hostPlans = new JsonObject();
                foreach (var (deployment, text) in byDeployment)
                {
                    try
                    {
                        hostPlans[deployment] = JsonNode.Parse(text);
                    }
                    catch (JsonException)
                    {
                        hostPlans[deployment] = text;
                    }
                }

                all[host] = hostPlans;
            }

            node["plans"] = all;
        }

        ui.Result(node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private void Redraw(FleetRun run)
    {
        var lines = new List<string>();
        var rows = Rows(run).ToList();
        string[] headers = ["HOST", "DEPLOYMENT", "STATE", "RUN", "REVISION", "SECONDS"];
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToList();
        lines.Add(string.Join("  ", headers.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        lines.AddRange(rows.Select(r => string.Join("  ", r.Select((c, i) => c.PadRight(widths[i]))).TrimEnd()));
        if (_drawn > 0) ui.Error.Write($"\u001b[{_drawn}A\u001b[J");
        foreach (var line in lines) ui.Error.WriteLine(line);
        _drawn = lines.Count;
    }

    private static IEnumerable<IReadOnlyList<string>> Rows(FleetRun run) =>
        run.Hosts.SelectMany(h => h.Deployments.Select(d => (IReadOnlyList<string>)
        [
            h.Host, d.Deployment, d.State == "pending" && h.State is not "pending" and not "running" ? h.State : d.State, d.RunId ?? "-",
            d.Revision?.ToString(CultureInfo.InvariantCulture) ?? "-", d.Seconds?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-",
        ]));

    private static string Details(FleetItemRun item) =>
        item.State == "running" ? $" ({item.Verb})"
        : $"{(item.RunId is null ? "" : $" run {item.RunId}")}{(item.Revision is null ? "" : $" revision {item.Revision}")}{(item.Seconds is null ? "" : $" in {item.Seconds:0.0}s")}{(item.Message is null ? "" : $" - {item.Message}")}";

    /// <summary>A host's single-host plan JSON in a few words: what changes against the live state.</summary>
    private static string Describe(string planJson)
    {
        try
        {
            using var doc = JsonDocument.Parse(planJson);
            var changes = doc.RootElement.GetProperty("changes").EnumerateArray()
                .Select(c => (Name: c.GetProperty("name").GetString(), Action: c.GetProperty("action").GetString()))
                .Where(c => c.Action != "unchanged").ToList();
            var files = doc.RootElement.GetProperty("files").GetArrayLength();
            return (changes.Count == 0 ? "live state matches D" : string.Join(", ", changes.Select(c => $"{c.Name} {c.Action}")))
                + (files == 0 ? "" : $"; {files} file(s) of D changed since its revision") + "; restart syncs D from the wanted commit first";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "plan: " + planJson.Trim();
        }
    }
}
