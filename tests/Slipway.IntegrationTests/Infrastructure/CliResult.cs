namespace Slipway.IntegrationTests.Infrastructure;

/// <summary>One in-process run of the Slipway CLI. <see cref="ToString"/> prints everything, for failure messages.</summary>
public sealed record CliResult(IReadOnlyList<string> Args, int ExitCode, string StandardOutput, string StandardError, TimeSpan Duration)
{
    public string AllOutput => StandardOutput + StandardError;

    public override string ToString() =>
        $"$ slipway {string.Join(' ', Args.Select(Quote))}\nexit code: {ExitCode} after {Duration.TotalSeconds:0.00}s\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./:=,@+%".Contains(c)) ? arg : "'" + arg.Replace("'", "'\\''") + "'";
}
