using Slipway.Core.Diagnostics;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Hooks;

/// <summary>
/// Runs the stack's <c>config:</c> directives after up (stack mode and compose deployments): each source service is
/// asked for its value until it prints one, within a deadline (laconic-so waits forever), then the destination
/// service imports it. A failing import, or no value in time, fails the command.
/// </summary>
internal static class ConfigDirectives
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static async Task RunAsync(DockerCompose compose, IReadOnlyList<ConfigDirective> directives, Action<string>? progress, TimeProvider clock, Func<TimeSpan, CancellationToken, Task> delay, CancellationToken cancellationToken)
    {
        foreach (var directive in directives)
        {
            var value = await ExportAsync(compose, directive, clock, delay, cancellationToken);
            progress?.Invoke($"config: {directive.Source}.{directive.SourceVariable} → {directive.Destination}.{directive.DestinationVariable}");
            var import = await compose.Docker.RunAsync(compose.ProjectArguments("exec", "-T", directive.Destination, "sh", directive.ImportScript, value), cancellationToken, TimeSpan.FromMinutes(2), secrets: [value]);
            if (!import.Succeeded)
            {
                throw new SlipwayException(FailureReason.DeploymentFailed,
                    $"config directive at {directive.Location}: sh {directive.ImportScript} in {directive.Destination} failed (exit code {import.ExitCode}):\n{import.Tail()}");
            }
        }
    }

    private static async Task<string> ExportAsync(DockerCompose compose, ConfigDirective directive, TimeProvider clock, Func<TimeSpan, CancellationToken, Task> delay, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + Timeout;
        while (true)
        {
            var export = await compose.Docker.RunAsync(compose.ProjectArguments("exec", "-T", directive.Source, "sh", directive.ExportScript), cancellationToken, TimeSpan.FromMinutes(1));
            var value = export.StandardOutput.Trim();
            if (export.Succeeded && value.Length > 0) return value;
            if (clock.GetUtcNow() >= deadline)
            {
                throw new SlipwayException(FailureReason.VerifyTimeout,
                    $"config directive at {directive.Location}: {directive.Source} printed no value for {directive.SourceVariable} within {Timeout.TotalMinutes:0} minutes (sh {directive.ExportScript}{(export.Succeeded ? "" : $": exit code {export.ExitCode}")})",
                    $"see 'docker compose -p {compose.Project.Name} logs {directive.Source}'");
            }

            await delay(TimeSpan.FromSeconds(2), cancellationToken);
        }
    }
}
