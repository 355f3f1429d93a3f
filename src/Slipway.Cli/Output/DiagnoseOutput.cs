using System.Text.Json;
using Slipway.Infrastructure.Operations;

namespace Slipway.Cli.Output;

/// <summary>diagnose's result as its --output json shape.</summary>
internal static class DiagnoseOutput
{
    public static DiagnoseJson Json(DiagnoseResult result, string dir)
    {
        var run = result.LastRun is { } last
            ? new DiagnoseRunJson(last.Id, last.Command, result.LastRunInterrupted ? "interrupted" : Kebab(last.State.ToString()),
                [.. last.Stages.Select(s => new StageStateJson(s.Name, Kebab(s.State.ToString())))], last.Failure, last.Logs.Count > 0 ? last.Logs[^1] : null,
                result.LastRunInterrupted ? $"slipway deployment --dir {dir} resume" : null)
            : null;
        return new DiagnoseJson(run,
            result.Lock is { } holder ? new DiagnoseLockJson(holder.ToString(), result.LockIsStale) : null,
            result.Pin is { } pin ? new DiagnosePinJson(pin.Revision, pin.RunId, pin.At) : null,
            [.. result.Services.Select(s => new ServiceStateJson(s.Service, s.Name, s.State, s.Health, Kebab(s.Condition.ToString())))],
            result.RunDiagnosis, result.Diagnosis);
    }

    private static string Kebab(string name) => JsonNamingPolicy.KebabCaseLower.ConvertName(name);
}
