using Slipway.Core.Deployments;
using Slipway.Core.Kubernetes;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Pipeline;

namespace Slipway.Infrastructure.Operations;

/// <summary>One file of D against the current revision's snapshot: added, changed or removed.</summary>
public sealed record FileChange(string Path, string Change);

public sealed record PlanResult(int? CurrentRevision, IReadOnlyList<PlannedChange> Changes, IReadOnlyList<FileChange> Files, IReadOnlyList<VolumePlacement> Volumes);

/// <summary><c>deployment --dir D plan</c>: what a start would change against the live state, the files changed since the current revision, where volumes live. Writes nothing.</summary>
public sealed class Plan(SlipwayEnvironment env)
{
    public async Task<PlanResult> RunAsync(string directory, CancellationToken cancellationToken)
    {
        var session = env.OpenDeployment(directory);
        var store = new RevisionStore(session.Layout);
        var current = store.LastGood();
        var pins = current?.ImagePins ?? new Dictionary<string, string>();
        var changes = await env.Reporter.StepAsync("plan", _ => env.Backend(session).PlanAsync(new ApplyOptions { ImagePins = pins }, cancellationToken));
        var volumes = KubernetesVolumes.Placements(session.Spec, session.DeclaredVolumes, session.Layout.Directory, session.Identity.DeploymentId);
        return new PlanResult(current?.Number, changes, FileChanges(session, store, current), volumes);
    }

    /// <summary>D's rendered files against the current revision's snapshot: added, changed, removed.</summary>
    private static IReadOnlyList<FileChange> FileChanges(DeploymentSession session, RevisionStore store, RevisionRecord? current)
    {
        if (current is null) return [];
        var snapshot = Path.Combine(store.Directory(current.Number), "files");
        var now = RevisionStore.RenderedFiles(session.Layout);
        var then = Directory.Exists(snapshot)
            ? Directory.EnumerateFiles(snapshot, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(snapshot, f).Replace('\\', '/')).ToHashSet(StringComparer.Ordinal)
            : [];
        var changes = new List<FileChange>();
        foreach (var file in now)
        {
            if (!then.Contains(file)) changes.Add(new FileChange(file, "added"));
            else if (!File.ReadAllBytes(Path.Combine(session.Layout.Directory, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(snapshot, file)))) changes.Add(new FileChange(file, "changed"));
        }

        changes.AddRange(then.Where(f => !now.Contains(f)).Select(f => new FileChange(f, "removed")));
        return changes.OrderBy(c => c.Path, StringComparer.Ordinal).ToList();
    }
}
