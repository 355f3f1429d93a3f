using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Registry;
using Slipway.Infrastructure.Tools;
using Slipway.Infrastructure.Verification;

namespace Slipway.Infrastructure.Pipeline.Stages;

/// <summary>
/// prepare: refuses to go on when D is not fit to deploy: placeholders, missing required keys, verify checks naming
/// unknown services (errors); env files in git or world-readable (warnings); a push that could not log in.
/// </summary>
internal sealed class PrepareStage : IStage
{
    public string Name => StageNames.Prepare;

    public async Task<StageOutcome> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        await CheckAsync(context, cancellationToken);
        return StageOutcome.Done();
    }

    /// <summary>The checks every plan's prepare makes, after whatever else it does first (a sync, a rollback's target).</summary>
    public static async Task CheckAsync(RunContext context, CancellationToken cancellationToken)
    {
        var session = context.Session;
        var problems = await ProblemsAsync(session, context.Tools.Git, cancellationToken);
        foreach (var warning in problems.Where(p => !p.IsError)) context.Reporter.Warn(warning.ToString());
        var bag = new DiagnosticBag();
        bag.AddRange(problems);
        bag.ThrowIfErrors();

        if (session.Spec.ImageRegistry is { } registry)
        {
            // Refused before anything is built: a token that is missing now would fail the push stage later.
            ImagePublisher.CheckLogin(ImagePublisher.RequestFor(session, registry.Value, context.GetEnvironment));
        }
    }

    /// <summary>Errors of D (see <see cref="DeploymentChecks.Prepare"/>) and warnings about the git-tracked spec's env files.</summary>
    public static async Task<IReadOnlyList<Diagnostic>> ProblemsAsync(DeploymentSession session, Git git, CancellationToken cancellationToken)
    {
        var problems = DeploymentChecks.Prepare(session).ToList();

        // env-file paths are relative to the git-tracked spec, not to D's copy of it.
        if (session.Source.Spec is { } source)
        {
            problems.AddRange(await new EnvFileHygiene(git).CheckAsync(source, cancellationToken));
        }

        return problems;
    }
}
