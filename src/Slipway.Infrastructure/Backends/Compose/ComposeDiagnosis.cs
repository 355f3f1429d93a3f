using System.Text;
using System.Text.Json;
using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Backends.Compose;

/// <summary>The text diagnose shows for a compose project: each container's state, then the troubled ones' health checks and logs.</summary>
internal sealed class ComposeDiagnosis(Docker docker, string project)
{
    /// <summary>Each probe's failure is reported in the text, never thrown: a diagnosis runs after something else already failed.</summary>
    public async Task<string> DescribeAsync(Func<Task<IReadOnlyList<ServiceState>>> status, int tailLines, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        IReadOnlyList<ServiceState> states;
        try
        {
            states = await status();
        }
        catch (SlipwayException ex)
        {
            return $"could not list the containers: {ex.Message}";
        }

        text.AppendLine($"containers of project {project}:");
        if (states.Count == 0) text.AppendLine("  (none)");
        foreach (var s in states)
        {
            text.AppendLine($"  {s.Service}: {(s.Name.Length == 0 ? "" : s.Name + " ")}{s.State}{(s.Health is null ? "" : $" ({s.Health})")}");
        }

        var troubled = states.Where(s => s.Condition != ServiceCondition.Ready).ToList();
        foreach (var s in troubled)
        {
            text.AppendLine();
            if (s.State == ServiceState.MissingState)
            {
                text.AppendLine($"service {s.Service}: missing: D defines it but it has no container (removed by hand?); a start or restart creates it again");
                continue;
            }

            text.AppendLine($"service {s.Service} ({s.Name}): {s.State}{(s.Health is null ? "" : $", health {s.Health}")}");
            var inspect = await docker.InspectAsync("{{json .State}}", s.Id, cancellationToken);
            text.AppendLine(Indent(inspect.Succeeded ? string.Join('\n', StateLines(inspect.StandardOutput)) : $"docker inspect failed: {inspect.Tail(3)}"));
            var logs = await docker.LogsAsync(tailLines, s.Id, cancellationToken);
            text.AppendLine($"  last {tailLines} log lines:");
            text.AppendLine(Indent(logs.StandardOutput + logs.StandardError, "    | "));
        }

        if (troubled.Count == 0 && states.Count > 0) text.AppendLine("every container is running and none is unhealthy");
        return text.ToString().TrimEnd();
    }

    /// <summary>
    /// What the engine says of one container: a stopped one's exit code and error; a running one's health checks, each
    /// distinct output once with how often it came (the engine keeps the last five, often all the same). A stopped
    /// container's health log is left out: those checks ran before it stopped and say nothing about why.
    /// </summary>
    internal static IEnumerable<string> StateLines(string stateJson)
    {
        JsonElement state;
        try
        {
            state = JsonDocument.Parse(stateJson).RootElement;
        }
        catch (JsonException)
        {
            return [stateJson.Trim()];
        }

        var lines = new List<string>();
        var running = state.TryGetProperty("Running", out var r) && r.ValueKind == JsonValueKind.True;
        if (!running)
        {
            var exit = state.TryGetProperty("ExitCode", out var e) && e.ValueKind == JsonValueKind.Number ? e.GetInt32() : 0;
            var oom = state.TryGetProperty("OOMKilled", out var o) && o.ValueKind == JsonValueKind.True;
            var error = state.TryGetProperty("Error", out var er) ? er.GetString() : null;
            lines.Add($"exit code {exit}{(oom ? " (killed: out of memory)" : "")}{(string.IsNullOrEmpty(error) ? "" : $", error {error}")}");
            return lines;
        }

        if (!state.TryGetProperty("Health", out var health) || health.ValueKind != JsonValueKind.Object) return lines;
        if (!health.TryGetProperty("Log", out var log) || log.ValueKind != JsonValueKind.Array) return lines;
        var checks = log.EnumerateArray()
            .Select(entry => (Exit: entry.TryGetProperty("ExitCode", out var x) && x.ValueKind == JsonValueKind.Number ? x.GetInt32() : -1,
                Output: string.Join(" / ", (entry.TryGetProperty("Output", out var text) ? text.GetString() ?? "" : "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))))
            .ToList();
        foreach (var group in checks.GroupBy(c => c).OrderBy(g => checks.IndexOf(g.Key)))
        {
            var times = group.Count() == 1 ? "" : $" ({group.Count()} times)";
            lines.Add($"health check exit {group.Key.Exit}{times}: {(group.Key.Output.Length == 0 ? "(no output)" : group.Key.Output)}");
        }

        return lines;
    }

    private static string Indent(string text, string prefix = "    ") =>
        string.Join('\n', text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => prefix + l.TrimEnd()));
}
