using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Core.Verification;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Registry;
using Slipway.Infrastructure.Tools;
using Slipway.Infrastructure.Verification;

namespace Slipway.Infrastructure.Pipeline.Stages;

/// <summary>
/// prepare: refuses to go on when D is not fit to deploy: placeholders, missing required keys, verify checks naming
/// unknown services (errors); env files in git or world-readable (warnings); a push that could not log in; the
/// backend's own checks (on Kubernetes: the spec's Secrets that do not exist yet).
/// </summary>
internal sealed class PrepareStage : IStage
{
    public string Name => StageNames.Prepare;

    public async Task<StageOutcome> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        await CheckAsync(context, cancellationToken);
        context.Run.Sources = await context.SourceCommitsAsync(cancellationToken);
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
        await CheckVolumeStorageAsync(context, cancellationToken);

        if (session.Spec.DeployTo == DeployTarget.Compose) await CheckHostPortsAsync(context, cancellationToken);

        if (context.Backend is IPrepareCheckingBackend checking)
        {
            foreach (var warning in await checking.PrepareWarningsAsync(cancellationToken)) context.Reporter.Warn(warning);
        }

        if (session.Spec.ImageRegistry is { } registry)
        {
            // Refused before anything is built: a token that is missing now would fail the push stage later.
            ImagePublisher.CheckLogin(ImagePublisher.RequestFor(session, registry.Value, context.GetEnvironment));
        }

        // The run's docker login itself (recorded, logged out at the run's end): a token the registry refuses fails
        // here, before any build, rather than at the push after the builds.
        if (session.Spec.RegistryCredentials is not null) await RegistryLogin.EnsureAsync(context, cancellationToken);
    }

    /// <summary>
    /// Refuses before anything is built when a volume would not get the storage D declares: a moved D whose files bind
    /// a relative volume outside it, or a live volume the engine keeps with other storage than D now names.
    /// </summary>
    private static async Task CheckVolumeStorageAsync(RunContext context, CancellationToken cancellationToken)
    {
        var session = context.Session;
        if (session.MisplacedBinds is { Count: > 0 } misplaced)
        {
            var from = session.RenderedIn is { } origin && origin != session.Layout.Directory ? $"it was rendered in {origin}, and " : "";
            throw new SlipwayException(FailureReason.Conflict,
                $"{session.Layout.Directory} was moved or renamed: {from}its compose files bind " + string.Join(", ", misplaced.Select(m => $"volume '{m.Volume}' (spec path {m.SpecPath}) to {m.Bound}"))
                + $", outside this deployment directory. Slipway never mounts a folder outside D for a relative volume path; nothing was changed",
                $"render D for where it is now: slipway deploy create --update --spec-file SPEC --deployment-dir {session.Layout.Directory}"
                + (session.Identity.SpecSource is { } spec ? $" (SPEC: {spec})" : "")
                + "; the next start then names any Docker volume still bound to the old place and how to re-bind it (its data moved with D)");
        }

        if (context.Backend is not IVolumeStorageBackend storage) return;
        var mismatches = await storage.VolumeStorageMismatchesAsync(cancellationToken);
        if (mismatches.Count > 0)
        {
            throw new SlipwayException(FailureReason.Conflict, VolumeStorage.Message(mismatches), VolumeStorage.Steps(mismatches, session.Layout.Directory, storage.VolumeCreator));
        }
    }

    /// <summary>
    /// Refuses a fixed host port that something other than this deployment holds, before anything starts: compose
    /// would start the other services and then fail on this one. Each line points at the spec's network.ports entry.
    /// </summary>
    private static async Task CheckHostPortsAsync(RunContext context, CancellationToken cancellationToken)
    {
        var session = context.Session;
        var scope = context.Run.Parameters.Services is { Count: > 0 } named ? named : session.ExpectedServices;
        var services = session.PodFiles.Concat(session.Overrides).SelectMany(f => f.Services).Where(s => scope.Contains(s.Name)).ToList();
        // The git-tracked spec's lines first: that is the file the operator edits.
        IReadOnlyList<ServicePorts> specPorts = [.. session.Source.Spec?.Ports ?? [], .. session.Spec.Ports];
        var wanted = HostPorts.Wanted(services, specPorts);
        var problems = await new HostPortCheck(context.Tools.Docker).CheckAsync(wanted, session.ComposeProject, HostPortCheck.IsLocalEngine(context.GetEnvironment), cancellationToken);
        if (problems.Count == 0) return;
        foreach (var problem in problems) context.Log.Note(problem.ToString());
        throw new SlipwayException(FailureReason.Conflict,
            $"{(problems.Count == 1 ? "a host port is" : problems.Count + " host ports are")} already in use; nothing was started:\n"
            + string.Join("\n", problems.Select(p => $"  {p.Location}: {p.Message}")),
            "choose another host port in the spec's network.ports (the line above), or stop what holds it; then run again");
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
