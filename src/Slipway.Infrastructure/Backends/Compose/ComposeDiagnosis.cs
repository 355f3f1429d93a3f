using System.Text;
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
            var inspect = await docker.InspectAsync("{{if not .State.Running}}exit code {{.State.ExitCode}}{{if .State.Error}}, error {{.State.Error}}{{end}}{{end}}{{if .State.Health}}{{range .State.Health.Log}}\nhealth check exit {{.ExitCode}}: {{.Output}}{{end}}{{end}}", s.Id, cancellationToken);
            text.AppendLine(Indent(inspect.Succeeded ? inspect.StandardOutput : $"docker inspect failed: {inspect.Tail(3)}"));
            var logs = await docker.LogsAsync(tailLines, s.Id, cancellationToken);
            text.AppendLine($"  last {tailLines} log lines:");
            text.AppendLine(Indent(logs.StandardOutput + logs.StandardError, "    | "));
        }

        if (troubled.Count == 0 && states.Count > 0) text.AppendLine("every container is running and none is unhealthy");
        return text.ToString().TrimEnd();
    }

    private static string Indent(string text, string prefix = "    ") =>
        string.Join('\n', text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => prefix + l.TrimEnd()));
}
