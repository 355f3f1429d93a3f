using Slipway.Cli.Console;
using Slipway.Infrastructure.Operations;

namespace Slipway.Cli.Output;

/// <summary>How a run ended, on the console, and the exit code that says it.</summary>
internal static class RunOutput
{
    public static int Print(ConsoleUi ui, RunResult result, bool json = false)
    {
        var outcome = result.Outcome;
        var run = outcome.Run;
        if (json)
        {
            // What a fleet orchestrator reads back from a host's run; the messages still go to stderr.
            ui.Result(System.Text.Json.JsonSerializer.Serialize(new RunJson(run.Id, run.Command, StateName(run.State), run.Revision,
                run.FailedRevision, outcome.Message, outcome.Hint, outcome.LogPath, ExitCodes.For(outcome))
            {
                Pulls = run.Pulls,
                ChangedFiles = run.SyncedFiles,
                Services = run.Recreated,
                Sources = run.Sources,
            }, OutputJson.Default.RunJson));
        }

        if (!outcome.Succeeded)
        {
            ui.Fail(outcome.Message ?? $"run {run.Id} failed");
            if (outcome.Hint is not null) ui.Error.WriteLine($"hint: {outcome.Hint}");
            ui.Error.WriteLine($"log: {outcome.LogPath}");
            return ExitCodes.For(outcome);
        }

        ui.Info($"run {run.Id} ({run.Command}) succeeded: revision {run.Revision}; log {outcome.LogPath}");
        if (!json) StatusOutput.Print(ui, result.Services, json: false);
        return ExitCodes.Success;
    }

    /// <summary>A run state as the JSON names it (rolled-back, rollback-failed, ...).</summary>
    public static string StateName(Infrastructure.Pipeline.RunState state) =>
        string.Concat(state.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
