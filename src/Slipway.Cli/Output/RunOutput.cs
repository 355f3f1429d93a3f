using Slipway.Cli.Console;
using Slipway.Infrastructure.Operations;

namespace Slipway.Cli.Output;

/// <summary>How a run ended, on the console, and the exit code that says it.</summary>
internal static class RunOutput
{
    public static int Print(ConsoleUi ui, RunResult result)
    {
        var outcome = result.Outcome;
        var run = outcome.Run;
        if (!outcome.Succeeded)
        {
            ui.Fail(outcome.Message ?? $"run {run.Id} failed");
            if (outcome.Hint is not null) ui.Error.WriteLine($"hint: {outcome.Hint}");
            ui.Error.WriteLine($"log: {outcome.LogPath}");
            return ExitCodes.For(outcome);
        }

        ui.Info($"run {run.Id} ({run.Command}) succeeded: revision {run.Revision}; log {outcome.LogPath}");
        StatusOutput.Print(ui, result.Services, json: false);
        return ExitCodes.Success;
    }
}
