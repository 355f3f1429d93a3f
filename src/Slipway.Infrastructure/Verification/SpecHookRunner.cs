using Slipway.Core.Diagnostics;
using Slipway.Core.Verification;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Verification;

/// <summary>
/// Runs the spec's <c>hooks</c> (<c>pre-deploy</c> before apply, <c>post-deploy</c> after a passed verify) one after
/// another through the process runner, so their command lines and output reach the run log with secrets redacted.
/// The first failing command stops the rest and fails the stage with its output tail.
/// </summary>
internal sealed class SpecHookRunner(IProcessRunner runner)
{
    /// <summary>Runs an opened deployment's <paramref name="phase"/> commands (none: nothing runs), from its git-tracked spec's folder.</summary>
    public static Task<IReadOnlyList<ProcessResult>> RunAsync(DeploymentSession deployment, SpecHookPhase phase, IProcessRunner runner, Action<string>? progress, CancellationToken cancellationToken) =>
        new SpecHookRunner(runner).RunAsync(deployment.Spec.Hooks, phase, SpecHookContext.For(deployment), progress, cancellationToken);

    public async Task<IReadOnlyList<ProcessResult>> RunAsync(SpecHooks hooks, SpecHookPhase phase, SpecHookContext context, Action<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hooks);
        ArgumentNullException.ThrowIfNull(context);
        var name = SpecHooks.ToName(phase);
        var commands = hooks.For(phase);
        var results = new List<ProcessResult>();
        for (var i = 0; i < commands.Count; i++)
        {
            var command = commands[i];
            var label = $"{name} hook {i + 1} of {commands.Count}{(command.Location is null ? "" : $" ({command.Location})")}";
            progress?.Invoke($"{label}: {SecretRedactor.Redact(command.Text, context.Secrets)}");
            var program = ResolveProgram(command.Argv[0], context.WorkingDirectory);
            ProcessResult result;
            try
            {
                result = await runner.RunAsync(new ProcessSpec(program, command.Argv.Skip(1).ToList())
                {
                    WorkingDirectory = context.WorkingDirectory,
                    Environment = context.ToEnvironment(phase),
                    Secrets = context.Secrets,
                    Timeout = context.Timeout,
                    OnStandardOutput = progress,
                    OnStandardError = progress,
                }, cancellationToken);
            }
            catch (ToolNotFoundException e)
            {
                throw new SlipwayException(FailureReason.DeploymentFailed, $"the spec's {label} could not start: {SecretRedactor.Redact(e.Message, context.Secrets)}",
                    $"relative paths resolve against {context.WorkingDirectory}", e);
            }

            results.Add(result);
            if (!result.Succeeded)
            {
                var why = result.TimedOut ? $"timed out after {Durations.Format(context.Timeout)}" : $"exit code {result.ExitCode}";
                var tail = result.Tail();
                throw new SlipwayException(FailureReason.DeploymentFailed,
                    $"the spec's {label} failed ({why}){(tail.Length > 0 ? ":\n" + tail : "")}",
                    "the full output is in the log under .slipway/logs/ of the deployment directory");
            }
        }

        return results;
    }

    /// <summary>An argv program given as a relative path (<c>./backup.sh</c>) resolves against the working directory, as a shell would.</summary>
    private static string ResolveProgram(string program, string workingDirectory) =>
        program.Contains('/') && !Path.IsPathRooted(program) ? Path.GetFullPath(Path.Combine(workingDirectory, program)) : program;
}
