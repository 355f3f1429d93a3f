using Slipway.Core.Specs;
using Slipway.Core.Verification;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Verification;

namespace Slipway.Infrastructure.Pipeline.Stages;

/// <summary>
/// apply: the spec's pre-deploy hooks, then the backend brings the deployment to D with the run's pins, without waiting
/// (verify waits); on Kubernetes then laconic-so's start() of D/hooks (<see cref="PythonStartHook"/>).
/// </summary>
internal sealed class ApplyStage(DeploymentVerifier verifier) : IStage
{
    public string Name => StageNames.Apply;

    public async Task<StageOutcome> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        await SpecHookRunner.RunAsync(context.Session, SpecHookPhase.PreDeploy, context.Runner, context.Progress, cancellationToken);
        var pins = context.Run.EffectivePins;
        if (context.Run.Parameters.ForceConflicts && !context.Session.Target.IsKubernetes())
        {
            context.Reporter.Warn($"--force-conflicts does nothing on {context.Session.Target.ToName()}: only Kubernetes has field managers");
        }

        var project = context.Session.Identity.DeploymentId;
        var touched = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var progress = context.Progress;
        context.Progress = line =>
        {
            if (ContainerEvent(line, project) is { } e) touched[e.Service] = e.Action;
            progress(line);
        };
        try
        {
            await ApplyAsync(context, verifier, pins, cancellationToken);
            await PythonStartHook.RunAsync(context, cancellationToken);
        }
        finally
        {
            context.Progress = progress;
        }

        // Compared only when the engine said it replaced something (compose): a swarm apply, or nothing recreated, costs no read.
        var reasons = touched.Count == 0 ? new Dictionary<string, IReadOnlyList<string>>() : Reasons(context);
        context.Run.Recreated = [.. touched.Select(t => new ServiceChange(t.Key, t.Value, Why(context, t.Key, t.Value, reasons)))];
        var services = touched.Count == 0 ? null : string.Join(", ", context.Run.Recreated.Select(c => c.Describe()));
        var note = string.Join("; ", new[] { services, ImagesNote(pins) }.OfType<string>());
        return StageOutcome.Done(note.Length == 0 ? null : note);
    }

    /// <summary>Why each service differs from the revision live before this run (none recorded: nothing to compare).</summary>
    private static IReadOnlyDictionary<string, IReadOnlyList<string>> Reasons(RunContext context)
    {
        try
        {
            return ServiceChanges.Since(context.Session.Layout, context.Revisions, context.Revisions.LastGood(), Revisions.Images(context));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The reasons explain the apply; an unreadable snapshot must not stop it.
            context.Log.Note($"apply: could not compare D with the live revision: {e.Message}");
            return new Dictionary<string, IReadOnlyList<string>>();
        }
    }

    private static IReadOnlyList<string> Why(RunContext context, string service, string action, IReadOnlyDictionary<string, IReadOnlyList<string>> reasons)
    {
        if (reasons.TryGetValue(service, out var why)) return why;
        if (context.Run.Parameters.ForceRecreate) return ["--force-recreate"];
        if (action == "created") return [];
        // Compose saw a difference Slipway does not model (e.g. a container changed or removed by hand).
        return ["compose found the container out of date with D"];
    }

    /// <summary>compose's <c>Container P-web-1  Recreated</c> (or <c>Created</c>) as (web, recreated): which services this apply replaced.</summary>
    internal static (string Service, string Action)? ContainerEvent(string line, string project)
    {
        var match = System.Text.RegularExpressions.Regex.Match(line.Trim(), @"^Container (\S+)\s+(Recreated|Created)$");
        if (!match.Success) return null;
        var name = match.Groups[1].Value;
        var service = name.StartsWith(project + "-", StringComparison.Ordinal) ? name[(project.Length + 1)..] : name;
        var dash = service.LastIndexOf('-');
        if (dash > 0 && service[(dash + 1)..].All(char.IsAsciiDigit)) service = service[..dash];
        return (service, match.Groups[2].Value.ToLowerInvariant());
    }

    /// <summary>The stage's note: which images the pins replaced (none: no note).</summary>
    public static string? ImagesNote(IReadOnlyDictionary<string, string> pins) =>
        pins.Count == 0 ? null : "images: " + string.Join(", ", pins.Select(p => $"{p.Key} → {p.Value}"));

    /// <summary>
    /// Applies D with <paramref name="pins"/>; starts the run's rollout clock (<see cref="RunContext.RolloutDeadline"/>),
    /// which the verify after it shares, and lets a start-first cutover run the spec's checks on its new containers.
    /// </summary>
    public static Task ApplyAsync(RunContext context, DeploymentVerifier verifier, IReadOnlyDictionary<string, string> pins, CancellationToken cancellationToken,
        bool allServices = false)
    {
        var parameters = context.Run.Parameters;
        var deadline = context.StartRolloutClock();
        return LoggedInAsync(context, cancellationToken, () => context.Backend.ApplyAsync(Options(context, verifier, pins, allServices, parameters, deadline), cancellationToken));
    }

    private static async Task LoggedInAsync(RunContext context, CancellationToken cancellationToken, Func<Task> apply)
    {
        if (context.Backend.PullsWithDockerLogin) await Registry.RegistryLogin.EnsureAsync(context, cancellationToken);
        await apply();
    }

    private static ApplyOptions Options(RunContext context, DeploymentVerifier verifier, IReadOnlyDictionary<string, string> pins, bool allServices, RunParameters parameters, DateTimeOffset deadline)
    {
        var session = context.Session;
        return new ApplyOptions
        {
            Wait = false,
            ForceRecreate = !allServices && parameters.ForceRecreate,
            ForceConflicts = parameters.ForceConflicts,
            Services = allServices ? [] : parameters.Services,
            WaitTimeout = context.WaitTimeout,
            Deadline = deadline,
            ImagePins = pins,
            PerformClusterManagement = parameters.PerformClusterManagement,
            Progress = context.Progress,
            CheckCandidate = async (service, address, budget, ct) =>
            {
                var checks = session.Spec.Verify.Where(c => c.Service == service).ToList();
                if (checks.Count == 0) return new CandidateVerdict(true, 0, "no verify checks");
                var report = await verifier.CheckAsync(session, checks, address, budget, context.Clock, context.Progress, ct);
                foreach (var result in report.Results) context.Log.Note($"start-first {service}: verify {result.DescribeOneLine()}");
                return new CandidateVerdict(report.Passed, checks.Count, report.Passed ? $"{checks.Count} check(s) passed" : report.Failures[0].DescribeOneLine());
            },
        };
    }
}
