using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Backends.Kubernetes;

/// <summary>
/// kubectl bound to one cluster: every call carries the same connection arguments (<c>--kubeconfig D/kubeconfig.yml</c>
/// for k8s, <c>--context kind-NAME</c> for k8s-kind), so no command can land on whatever the default context is
/// (laconic-so's registry secret did, ⚠ §6.3).
/// </summary>
public sealed class Kubectl(IProcessRunner runner, string executable, IReadOnlyList<string> connection, string workingDirectory, IReadOnlyList<string> secrets)
{
    public string Executable { get; } = executable;

    public IReadOnlyList<string> Connection { get; } = connection;

    public IReadOnlyList<string> Arguments(IEnumerable<string> command) => [.. Connection, .. command];

    public Task<ProcessResult> RunAsync(IReadOnlyList<string> command, CancellationToken cancellationToken, string? standardInput = null,
        TimeSpan? timeout = null, IReadOnlyList<string>? extraSecrets = null, Action<string>? progress = null) =>
        runner.RunAsync(Spec(command, extraSecrets) with
        {
            StandardInput = standardInput,
            Timeout = timeout ?? TimeSpan.FromMinutes(2),
            OnStandardOutput = progress,
            OnStandardError = progress,
        }, cancellationToken);

    /// <summary>Runs with the console attached (logs -f, exec); returns the exit code.</summary>
    public async Task<int> InheritAsync(IReadOnlyList<string> command, CancellationToken cancellationToken) =>
        (await runner.RunAsync(Spec(command, null) with { Inherit = true }, cancellationToken)).ExitCode;

    /// <summary>Runs and throws a <see cref="SlipwayException"/> with kubectl's own words when it fails.</summary>
    public async Task<ProcessResult> RequireAsync(string what, IReadOnlyList<string> command, CancellationToken cancellationToken, FailureReason reason = FailureReason.DeploymentFailed,
        string? standardInput = null, TimeSpan? timeout = null)
    {
        var result = await RunAsync(command, cancellationToken, standardInput, timeout);
        if (!result.Succeeded) throw Failure(what, result, reason);
        return result;
    }

    public static SlipwayException Failure(string what, ProcessResult result, FailureReason reason, string? hint = null) =>
        new(reason, $"kubectl {what} failed ({(result.TimedOut ? "timed out" : $"exit code {result.ExitCode}")}):\n{result.Tail()}",
            hint ?? "the full output is in the log under .slipway/logs/ of the deployment directory");

    /// <summary>kubectl's "not found" answer to a get of one named object (exit code 1 with NotFound).</summary>
    public static bool IsNotFound(ProcessResult result) =>
        // Only the server's answer counts: "context ... not found" and the like are connection problems, not an absent object.
        !result.Succeeded && !result.TimedOut && result.StandardError.Contains("(NotFound)", StringComparison.Ordinal);

    private ProcessSpec Spec(IReadOnlyList<string> command, IReadOnlyList<string>? extraSecrets) => new(Executable, Arguments(command))
    {
        WorkingDirectory = workingDirectory,
        Secrets = extraSecrets is null ? secrets : [.. secrets, .. extraSecrets],
    };
}
