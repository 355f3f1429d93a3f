using Slipway.Core.Diagnostics;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Hooks;

/// <summary>Runs <paramref name="command"/> in one running container of <paramref name="service"/>, <paramref name="secrets"/> kept out of the log.</summary>
internal delegate Task<ProcessResult> ServiceExec(string service, IReadOnlyList<string> command, IReadOnlyList<string> secrets, TimeSpan timeout, CancellationToken cancellationToken);

/// <summary>How the directives reach the services: the exec, and where the operator reads a service's logs.</summary>
internal sealed record DirectiveTarget(ServiceExec Exec, Func<string, string> LogsHint)
{
    /// <summary><c>compose exec -T</c> in the project.</summary>
    public static DirectiveTarget Compose(DockerCompose compose) => new(
        (service, command, secrets, timeout, cancellationToken) =>
            compose.Docker.RunAsync(compose.ProjectArguments(["exec", "-T", service, .. command]), cancellationToken, timeout, secrets: secrets),
        service => $"see 'docker compose -p {compose.Project.Name} logs {service}'");
}

/// <summary>
/// Runs the stack's <c>config:</c> directives after up (stack mode, compose and Kubernetes deployments): each source
/// service is asked for its value until it prints one, within a deadline (laconic-so waits forever), then the
/// destination service imports it. A failing import, or no value in time, fails the command.
/// </summary>
internal static class ConfigDirectives
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static Task RunAsync(DockerCompose compose, IReadOnlyList<ConfigDirective> directives, Action<string>? progress, TimeProvider clock, Func<TimeSpan, CancellationToken, Task> delay, CancellationToken cancellationToken) =>
        RunAsync(DirectiveTarget.Compose(compose), directives, progress, clock, delay, cancellationToken);

    public static async Task RunAsync(DirectiveTarget target, IReadOnlyList<ConfigDirective> directives, Action<string>? progress, TimeProvider clock, Func<TimeSpan, CancellationToken, Task> delay, CancellationToken cancellationToken)
    {
        foreach (var directive in directives)
        {
            var value = await ExportAsync(target, directive, clock, delay, cancellationToken);
            progress?.Invoke($"config: {directive.Source}.{directive.SourceVariable} → {directive.Destination}.{directive.DestinationVariable}");
            var import = await target.Exec(directive.Destination, ["sh", directive.ImportScript, value], [value], TimeSpan.FromMinutes(2), cancellationToken);
            if (!import.Succeeded)
            {
                throw new SlipwayException(FailureReason.DeploymentFailed,
                    $"config directive at {directive.Location}: sh {directive.ImportScript} in {directive.Destination} failed (exit code {import.ExitCode}):\n{import.Tail()}");
            }
        }
    }

    private static async Task<string> ExportAsync(DirectiveTarget target, ConfigDirective directive, TimeProvider clock, Func<TimeSpan, CancellationToken, Task> delay, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + Timeout;
        while (true)
        {
            var export = await target.Exec(directive.Source, ["sh", directive.ExportScript], [], TimeSpan.FromMinutes(1), cancellationToken);
            var value = export.StandardOutput.Trim();
            if (export.Succeeded && value.Length > 0) return value;
            if (clock.GetUtcNow() >= deadline)
            {
                throw new SlipwayException(FailureReason.VerifyTimeout,
                    $"config directive at {directive.Location}: {directive.Source} printed no value for {directive.SourceVariable} within {Timeout.TotalMinutes:0} minutes (sh {directive.ExportScript}{(export.Succeeded ? "" : $": exit code {export.ExitCode}")})",
                    target.LogsHint(directive.Source));
            }

            await delay(TimeSpan.FromSeconds(2), cancellationToken);
        }
    }
}
