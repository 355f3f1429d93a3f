using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Slipway.Cli.Output;
using Slipway.Infrastructure.Operations;
using Slipway.Infrastructure.Pipeline;

namespace Slipway.Cli.Commands.Deployment;

internal static class HistoryCommand
{
    public static Command Create(CliContext cli)
    {
        var output = SharedOptions.Output();
        var command = new Command("history", "List the recorded revisions: number, time, result, spec hash, images, source commits, and the rollback pin") { output };
        command.SetAction((parse, ct) => cli.DeploymentAsync(parse, (env, dir) =>
        {
            var (revisions, current, pin) = new History(env).Run(dir);
            var ui = cli.Ui;
            if (parse.IsJson(output))
            {
                IReadOnlyList<RevisionJson> json = revisions.Select(r => new RevisionJson(r.Number, r.Time, r.Result, r.Number == current, r.Command, r.RunId, r.SpecHash,
                    r.SourceRevision, new(r.Images.ToDictionary(), StringComparer.Ordinal), new(r.ImagePins.ToDictionary(), StringComparer.Ordinal),
                    pin is not null && pin.Revision == r.Number ? new PinJson(pin.RunId, pin.At) : null)
                {
                    Sources = r.Sources,
                }).ToList();
                ui.Result(JsonSerializer.Serialize(json, OutputJson.Default.IReadOnlyListRevisionJson));
            }
            else if (revisions.Count == 0)
            {
                ui.Result("No revisions recorded yet ('deployment start' records one)");
            }
            else
            {
                ui.Table(["REVISION", "TIME", "RESULT", "COMMAND", "SPEC", "SOURCES", "IMAGES"], revisions.Select(r => (IReadOnlyList<string>)[
                    r.Number.ToString(CultureInfo.InvariantCulture) + (r.Number == current ? "*" : "") + (r.Number == pin?.Revision ? " (pinned)" : ""),
                    r.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z",
                    r.Result + (r.SourceRevision is { } s ? $" (copy of {s})" : ""),
                    r.Command,
                    r.SpecHash,
                    Sources(r.Sources),
                    string.Join(", ", r.Images.Select(i => $"{i.Key}={i.Value}")),
                ]));
                ui.Info("* the current revision (the newest good one)");
                if (pin is not null) ui.Info($"pinned to {DeploymentPin.Describe(pin)}: start and restart refuse to move on without --unpin");
            }

            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    /// <summary>
    /// "stack 1a2b3c4d5e6f, spec 1a2b3c4d5e6f dirty, pod web 0f1e2d3c4b5a" (stack+spec once when both are the same and
    /// clean); a path the run used instead of deployment.yml's (restart --stack-path/--spec-file) follows as "from PATH";
    /// "-" when none were recorded.
    /// </summary>
    internal static string Sources(IReadOnlyList<Infrastructure.Pipeline.SourceCommit> sources)
    {
        if (sources.Count == 0) return "-";
        var parts = new List<string>();
        var rest = sources;
        if (sources.Count >= 2 && sources[0].Role == "stack" && sources[1].Role == "spec" && sources[0].Commit is { } commit && sources[1].Commit == commit
            && sources[0].Dirty == sources[1].Dirty && !sources[0].Override && !sources[1].Override)
        {
            parts.Add($"stack+spec {commit[..Math.Min(12, commit.Length)]}{(sources[0].Dirty ? " dirty" : "")}");
            rest = [.. sources.Skip(2)];
        }

        parts.AddRange(rest.Select(s => (s.Commit is null ? $"{s.Role} not in git" : $"{s.Role} {s.Commit[..Math.Min(12, s.Commit.Length)]}{(s.Dirty ? " dirty" : "")}")
            + (s.Override ? $" from {s.Path}" : "")));
        return string.Join(", ", parts);
    }
}
