using System.CommandLine;
using System.Text.Json;
using Slipway.Cli.Output;
using Slipway.Infrastructure.Operations;
using Slipway.Infrastructure.Pipeline;

namespace Slipway.Cli.Commands.Deployment;

internal static class DiagnoseCommand
{
    public static Command Create(CliContext cli)
    {
        var tail = new Option<int>("--tail", "-n") { Description = "Log lines per troubled service", DefaultValueFactory = _ => 50 };
        var output = SharedOptions.Output();
        var command = new Command("diagnose", "Show the last run, each container's state, health-check output and last log lines") { tail, output };
        command.SetAction((parse, ct) => cli.DeploymentAsync(parse, async (env, dir) =>
        {
            var result = await new Diagnose(env).RunAsync(dir, parse.GetValue(tail), ct);
            var ui = cli.Ui;
            if (parse.IsJson(output))
            {
                ui.Result(JsonSerializer.Serialize(DiagnoseOutput.Json(result, dir), OutputJson.Default.DiagnoseJson));
                return ExitCodes.Success;
            }

            if (result.LastRun is { } run)
            {
                var state = !result.LastRunInterrupted ? Kebab(run.State.ToString())
                    : run.State == RunState.Interrupted ? (run.Failure?.Contains("Ctrl+C", StringComparison.Ordinal) != false ? "interrupted (Ctrl+C or SIGTERM)" : "interrupted")
                    : "interrupted (its process is gone)";
                ui.Result($"last run {run.Id} ({run.Command}): {state}");
                ui.Result($"  stages: {string.Join(" → ", run.Stages.Select(s => $"{s.Name}:{Kebab(s.State.ToString())}"))}");
                if (run.Failure is not null) ui.Result($"  failure: {run.Failure}");
                if (run.Logs.Count > 0) ui.Result($"  log: {run.Logs[^1]}");
                if (result.LastRunInterrupted) ui.Result($"  not finished: 'slipway deployment --dir {dir} resume' finishes it from stage {run.Next?.Name}");
            }

            if (result.Lock is { } holder) ui.Result($"lock: held by {holder}{(result.LockIsStale ? " (stale: that process is gone)" : "")}");
            if (result.Pin is { } pin) ui.Result($"pin: {DeploymentPin.Describe(pin)}; start and restart refuse to move on without --unpin");
            if (result.RunDiagnosis is { } failed)
            {
                ui.Result("");
                ui.Result($"when run {result.LastRun!.Id} failed:");
                ui.Result(failed);
                ui.Result("");
                ui.Result("now:");
            }

            ui.Result(result.Diagnosis);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string Kebab(string name) => JsonNamingPolicy.KebabCaseLower.ConvertName(name);
}
