using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Tools;

/// <summary>
/// kubectl bound to one cluster: every call carries the same connection arguments (<c>--kubeconfig D/kubeconfig.yml</c>
/// for k8s, <c>--context kind-NAME</c> for k8s-kind), so no command can land on whatever the default context is
/// (laconic-so created its registry secret there).
/// </summary>
internal sealed class Kubectl(IProcessRunner runner, string executable, IReadOnlyList<string> connection, string workingDirectory, IReadOnlyList<string> secrets)
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

    /// <summary>Runs without a time limit, each output line (terminal codes taken out) to a callback and nothing kept.</summary>
    public async Task<int> StreamAsync(IReadOnlyList<string> command, Action<string> output, Action<string> error, CancellationToken cancellationToken) =>
        (await runner.RunAsync(Spec(command, null) with
        {
            OnStandardOutput = line => output(TerminalText.Strip(line)),
            OnStandardError = line => error(TerminalText.Strip(line)),
            CaptureOutput = false,
        }, cancellationToken)).ExitCode;

    /// <summary>Runs and throws a <see cref="SlipwayException"/> with kubectl's own words when it fails.</summary>
    public async Task<ProcessResult> RequireAsync(string what, IReadOnlyList<string> command, CancellationToken cancellationToken, FailureReason reason = FailureReason.DeploymentFailed,
        string? standardInput = null, TimeSpan? timeout = null)
    {
        var result = await RunAsync(command, cancellationToken, standardInput, timeout);
        if (!result.Succeeded) throw Failure(what, result, reason);
        return result;
    }

    public static SlipwayException Failure(string what, ProcessResult result, FailureReason reason, string? hint = null) =>
        ToolFailure.Of($"kubectl {what}", result, reason, hint ?? ToolFailure.SeeTheLog);

    /// <summary>kubectl's "not found" answer to a get of one named object (exit code 1 with NotFound).</summary>
    public static bool IsNotFound(ProcessResult result) =>
        // Only the server's answer counts: "context ... not found" and the like are connection problems, not an absent object.
        !result.Succeeded && !result.TimedOut && result.StandardError.Contains("(NotFound)", StringComparison.Ordinal);

    /// <summary>
    /// <c>kubectl apply --server-side --field-manager=slipway</c> of <paramref name="yaml"/>. Fields another field manager
    /// owns fail it as a Conflict that names them and says how to take them over; any other failure is DeploymentFailed.
    /// </summary>
    public async Task ApplyAsync(string yaml, IReadOnlyList<string>? extraSecrets, TimeSpan timeout, CancellationToken cancellationToken, Action<string>? progress = null,
        bool forceConflicts = false)
    {
        string[] command = forceConflicts
            ? ["apply", "--server-side", "--field-manager=slipway", "--force-conflicts", "-f", "-"]
            : ["apply", "--server-side", "--field-manager=slipway", "-f", "-"];
        var applied = await RunAsync(command, cancellationToken,
            standardInput: yaml, timeout: timeout, extraSecrets: extraSecrets, progress: progress);
        if (applied.Succeeded) return;
        if (applied.StandardError.Contains("Apply failed with", StringComparison.Ordinal) && applied.StandardError.Contains("conflict", StringComparison.Ordinal))
        {
            throw new SlipwayException(FailureReason.Conflict,
                $"kubectl apply found fields of this deployment's objects that another field manager owns:\n{ConflictLines(applied.StandardError)}",
                "someone changed these fields with another tool (kubectl edit/patch/scale, a controller such as an autoscaler): undo that change and run again, "
                + "or let Slipway take the fields over with 'start --force-conflicts' (the other manager's values are then replaced by the spec's; "
                + "a controller that keeps writing them will fight it, so remove the field from it or from the spec first)");
        }

        throw Failure("apply", applied, FailureReason.DeploymentFailed);
    }

    /// <summary>
    /// <c>kubectl diff --server-side</c> of <paramref name="yaml"/>: exit 0 no difference, 1 differences (on stdout, in
    /// the default unified format), anything else a failure.
    /// </summary>
    public async Task<string> DiffAsync(string yaml, IReadOnlyList<string> extraSecrets, CancellationToken cancellationToken)
    {
        var diff = await runner.RunAsync(Spec(["diff", "--server-side", "--field-manager=slipway", "-f", "-"], extraSecrets) with
        {
            StandardInput = yaml,
            Timeout = TimeSpan.FromMinutes(2),
            // The default external diff (diff -u -N over two folders) is what the caller reads.
            Environment = new Dictionary<string, string?> { ["KUBECTL_EXTERNAL_DIFF"] = null },
        }, cancellationToken);
        if (diff.ExitCode > 1 || diff.TimedOut) throw Failure("diff", diff, FailureReason.DeploymentFailed);
        return diff.ExitCode == 0 ? "" : diff.StandardOutput;
    }

    /// <summary>kubectl's conflict report without its generic advice paragraph.</summary>
    private static string ConflictLines(string stderr) =>
        string.Join('\n', stderr.Split('\n').Where(l => l.Contains("conflict", StringComparison.OrdinalIgnoreCase) || l.TrimStart().StartsWith("- .", StringComparison.Ordinal))
            .Where(l => !l.Contains("--force-conflicts", StringComparison.Ordinal) && !l.StartsWith("See ", StringComparison.Ordinal)).Distinct());

    private ProcessSpec Spec(IReadOnlyList<string> command, IReadOnlyList<string>? extraSecrets) => new(Executable, Arguments(command))
    {
        WorkingDirectory = workingDirectory,
        Secrets = extraSecrets is null ? secrets : [.. secrets, .. extraSecrets],
    };
}
