using Slipway.Core.Diagnostics;
using Slipway.Core.Verification;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Verification;

/// <summary>What a spec hook command runs with: the deployment's environment and where relative paths resolve.</summary>
public sealed record SpecHookContext
{
    public required string DeploymentDirectory { get; init; }

    public required string DeploymentId { get; init; }

    /// <summary>Where the commands run: the git-tracked spec's folder (relative paths in the spec resolve there), else D.</summary>
    public required string WorkingDirectory { get; init; }

    public string? SpecFile { get; init; }

    public string? DeployTo { get; init; }

    /// <summary>The deployment's config (D/config.env), given to the commands as environment variables.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Config { get; init; } = [];

    /// <summary>Values redacted from logs and errors (generated secrets, env-file values).</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>SLIPWAY_STAGE for the commands; by default apply for pre-deploy and verify for post-deploy.</summary>
    public string? Stage { get; init; }

    /// <summary>The context of an opened deployment: its config and secrets, run from the folder of its git-tracked spec.</summary>
    public static SpecHookContext For(Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var specSource = deployment.Identity.SpecSource;
        var specFolder = specSource is null ? null : Path.GetDirectoryName(specSource);
        return new SpecHookContext
        {
            DeploymentDirectory = deployment.Layout.Directory,
            DeploymentId = deployment.Identity.DeploymentId,
            WorkingDirectory = specFolder is not null && Directory.Exists(specFolder) ? specFolder : deployment.Layout.Directory,
            SpecFile = specSource ?? deployment.Layout.Spec,
            DeployTo = deployment.Target switch
            {
                Core.Specs.DeployTarget.Compose => "compose",
                Core.Specs.DeployTarget.K8s => "k8s",
                _ => "k8s-kind",
            },
            Config = deployment.Config.Select(e => new KeyValuePair<string, string>(e.Key, e.Value)).ToList(),
            Secrets = deployment.SecretValues,
        };
    }

    public IReadOnlyDictionary<string, string?> ToEnvironment(SpecHookPhase phase)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in Config) environment[key] = value;
        environment["SLIPWAY_STAGE"] = Stage ?? (phase == SpecHookPhase.PreDeploy ? "apply" : "verify");
        environment["SLIPWAY_HOOK"] = SpecHooks.ToName(phase);
        environment["SLIPWAY_DEPLOYMENT_DIR"] = DeploymentDirectory;
        environment["SLIPWAY_DEPLOYMENT_ID"] = DeploymentId;
        environment["SLIPWAY_SPEC"] = SpecFile;
        environment["SLIPWAY_DEPLOY_TO"] = DeployTo;
        return environment;
    }
}

/// <summary>
/// Runs the spec's <c>hooks</c> (<c>pre-deploy</c> before apply, <c>post-deploy</c> after a passed verify) one after
/// another through the process runner, so their command lines and output reach the run log with secrets redacted.
/// The first failing command stops the rest and fails the stage with its output tail.
/// </summary>
public sealed class SpecHookRunner(IProcessRunner runner)
{
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
