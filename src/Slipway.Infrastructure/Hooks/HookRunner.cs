using Slipway.Core.Diagnostics;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Hooks;

/// <summary>
/// Stack hooks are executables in the stack's hooks/ folder (any language). They get the context as SLIPWAY_*
/// environment variables; a non-zero exit fails the stage with the hook's output.
/// </summary>
internal sealed class HookRunner(IProcessRunner runner)
{
    public static string? Find(Stack stack, string hook)
    {
        var path = Path.Combine(stack.HooksDirectory, hook);
        return File.Exists(path) ? path : null;
    }

    /// <summary>Runs the hook when the stack has it; returns null when it has not.</summary>
    public async Task<ProcessResult?> RunAsync(Stack stack, string hook, HookContext context, CancellationToken cancellationToken)
    {
        var path = Find(stack, hook);
        if (path is null) return null;
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) == 0)
        {
            throw new SlipwayException(FailureReason.InvalidInput, $"hook {path} is not executable", $"chmod +x {path}");
        }

        var result = await runner.RunAsync(new ProcessSpec(path, context.Arguments)
        {
            WorkingDirectory = context.WorkingDirectory ?? context.DeploymentDirectory ?? stack.Directory,
            Environment = context.ToEnvironment(stack, hook),
            Secrets = context.Secrets,
            Timeout = TimeSpan.FromMinutes(10),
        }, cancellationToken);
        if (!result.Succeeded)
        {
            throw new SlipwayException(FailureReason.DeploymentFailed,
                $"the stack's '{hook}' hook failed (exit code {result.ExitCode}{(result.TimedOut ? ", timed out" : "")}):\n{result.Tail()}");
        }

        return result;
    }
}
