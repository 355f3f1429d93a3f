using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Pipeline;

namespace Slipway.Infrastructure.Operations;

/// <summary><c>deployment --dir D restart</c>: a run of the restart plan over D.</summary>
public sealed class Restart(SlipwayEnvironment env)
{
    public Task<RunResult> RunAsync(string directory, RunRequest request, CancellationToken cancellationToken) =>
        Runs.DriveAsync(env, directory, (engine, session) =>
        {
            // Against D as it is: a service that only the incoming commit adds is named by --image on a later restart.
            session.RequireImageServices(request.ServiceImages.Keys);
            DeploymentPin.Check(session.Layout, RunRequest.Restart, request.Unpin);
            var (stack, spec) = Sources(session, request.StackSource, request.SpecSource);
            return engine.RunAsync(session, request with { Command = RunRequest.Restart, StackSource = stack, SpecSource = spec }, cancellationToken);
        });

    /// <summary>
    /// laconic-so's restart flags, for this run only (deployment.yml is not changed: a laconic-so D keeps the file it
    /// is recognised by). --stack-path is taken from the current directory; a relative --spec-file from the root of the
    /// stack's repository, as laconic-so does. Without --spec-file and without a spec-source, laconic-so's
    /// &lt;repository root&gt;/deployment/spec.yml is used when it exists.
    /// </summary>
    internal (string? Stack, string? Spec) Sources(DeploymentSession session, string? stackPath, string? specFile)
    {
        if (stackPath is null && !session.Identity.StackSourceWritten)
        {
            // laconic-so's own answer for such a D; re-rendering D from its own copies is not a sync.
            throw new SlipwayException(FailureReason.InvalidInput, $"{session.Layout.DeploymentFile} has no stack-source and --stack-path was not given",
                "give restart --stack-path PATH (the stack folder holding stack.yml, in its git checkout)");
        }

        var stack = stackPath is null ? null : env.Resolve(stackPath);
        if (stack is not null && !Directory.Exists(stack))
        {
            throw new SlipwayException(FailureReason.NotFound, $"--stack-path {stack} does not exist");
        }

        var root = Tools.Git.FindWorkTreeMarker(stack ?? Path.GetFullPath(session.Identity.StackSource)) is { } marker ? Path.GetDirectoryName(marker)! : null;
        string? spec = null;
        if (specFile is not null)
        {
            spec = Path.IsPathRooted(specFile) ? Path.GetFullPath(specFile) : Path.GetFullPath(Path.Combine(root ?? env.CurrentDirectory, specFile));
            if (!File.Exists(spec))
            {
                throw new SlipwayException(FailureReason.NotFound, $"--spec-file {spec} does not exist",
                    root is null ? "a relative --spec-file is taken from the current directory when the stack is not in a git repository" : $"a relative --spec-file is taken from the stack's repository root, {root}");
            }
        }
        else if (session.Identity.SpecSource is null && root is not null && File.Exists(Path.Combine(root, "deployment", "spec.yml")))
        {
            spec = Path.Combine(root, "deployment", "spec.yml");
        }

        if (stack is not null) env.Reporter.Info($"restart: pulling {stack} instead of stack-source {session.Identity.StackSource} (this run only; deployment.yml is unchanged)");
        if (spec is not null)
        {
            env.Reporter.Info(session.Identity.SpecSource is { } recorded
                ? $"restart: syncing D from {spec} instead of spec-source {recorded} (this run only; deployment.yml is unchanged)"
                : $"restart: syncing D from {spec} ({(specFile is null ? "laconic-so's deployment/spec.yml in the stack's repository" : "--spec-file")}; deployment.yml has no spec-source)");
        }

        return (stack, spec);
    }
}
