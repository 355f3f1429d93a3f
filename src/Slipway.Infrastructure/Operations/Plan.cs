using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Build;
using Slipway.Infrastructure.Files;
using Slipway.Core.Kubernetes;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Pipeline;

namespace Slipway.Infrastructure.Operations;

/// <summary>One file of D against the current revision's snapshot: added, changed or removed.</summary>
public sealed record FileChange(string Path, string Change);

/// <summary>A stack image the build stage would build anew: its build folder is at another revision than the image running now.</summary>
/// <param name="Current">The image the current revision runs (null: none recorded).</param>
/// <param name="Next">The immutable reference the next build makes.</param>
/// <param name="Why">Where the build folder is now (a commit, uncommitted changes, a content hash).</param>
public sealed record ImageChange(string StackImage, string? Current, string Next, string Why, bool Dirty);

public sealed record PlanResult(int? CurrentRevision, IReadOnlyList<PlannedChange> Changes, IReadOnlyList<FileChange> Files, IReadOnlyList<VolumePlacement> Volumes)
{
    /// <summary>Images start would rebuild (a changed build folder), which compose's own dry run cannot see.</summary>
    public IReadOnlyList<ImageChange> Images { get; init; } = [];

    /// <summary>plan --fetch: the commits upstream of each source repository and what their files would do; null without --fetch.</summary>
    public IReadOnlyList<IncomingCommits>? Incoming { get; init; }

    /// <summary>The services a start would recreate, and why (against the current revision; empty before the first).</summary>
    public IReadOnlyList<ServiceChange> Services { get; init; } = [];
}

/// <summary>A file an incoming commit changes, and what a restart would do with it.</summary>
public sealed record IncomingFile(string Path, string Effect);

/// <summary>What one source repository's upstream has that HEAD has not (fetched, not pulled).</summary>
public sealed record IncomingCommits(string Repository, IReadOnlyList<string> Roles, string? Upstream, IReadOnlyList<string> Commits, IReadOnlyList<IncomingFile> Files, string? Note);

/// <summary><c>deployment --dir D plan</c>: what a start would change against the live state, the files changed since the current revision, where volumes live. Writes nothing.</summary>
public sealed class Plan(SlipwayEnvironment env)
{
    /// <param name="fetch">Also fetch the stack's and the spec's repositories (moving nothing) and list what is incoming.</param>
    public async Task<PlanResult> RunAsync(string directory, CancellationToken cancellationToken, bool fetch = false)
    {
        var session = env.OpenDeployment(directory);
        var store = new RevisionStore(session.Layout);
        var current = store.LastGood();
        var pins = current?.ImagePins ?? new Dictionary<string, string>();
        var changes = await env.Reporter.StepAsync("plan", _ => env.Backend(session).PlanAsync(new ApplyOptions { ImagePins = pins }, cancellationToken));
        var volumes = KubernetesVolumes.Placements(session.Spec, session.DeclaredVolumes, session.Layout.Directory, session.Identity.DeploymentId);
        if (env.Backend(session) is IVolumeStorageBackend storage)
        {
            // The storage in use, not what D declares: the engine keeps a volume's first storage, and start refuses the difference.
            var mismatches = (await storage.VolumeStorageMismatchesAsync(cancellationToken)).ToDictionary(m => m.Live.Volume, StringComparer.Ordinal);
            volumes = [.. volumes.Select(v => mismatches.TryGetValue(v.Name, out var m) ? v with { HostPath = m.Live.Device, DeclaredOtherwise = m.Declared } : v)];
        }

        // A moved D's files still bind the old place: that is what an apply would mount, and start refuses it.
        var misplaced = session.MisplacedBinds.ToDictionary(m => m.Volume, StringComparer.Ordinal);
        volumes = [.. volumes.Select(v => misplaced.TryGetValue(v.Name, out var m) && v.DeclaredOtherwise is null
            ? v with { HostPath = m.Bound, DeclaredOtherwise = $"host directory {m.Expected} for its relative path {m.SpecPath} (D was moved)" }
            : v)];

        if (session.Target.IsKubernetes()) volumes = [.. volumes, .. Backends.Kubernetes.KubernetesManifests.NodeBinds(session.Layout.Directory, session.Target)];

        var images = await ImageChangesAsync(session, current, cancellationToken);
        var incoming = fetch ? await IncomingAsync(session, cancellationToken) : null;
        return new PlanResult(current?.Number, changes, FileChanges(session, store, current), volumes)
        {
            Images = images, Incoming = incoming, Services = ServicesToRecreate(session, store, current, pins, images),
        };
    }

    /// <summary>Why each service differs from the current revision; a service whose image would be rebuilt gets that reason too.</summary>
    private IReadOnlyList<ServiceChange> ServicesToRecreate(DeploymentSession session, RevisionStore store, RevisionRecord? current, IReadOnlyDictionary<string, string> pins,
        IReadOnlyList<ImageChange> images)
    {
        if (current is null) return [];
        var serviceImages = env.Backend(session).ServiceImages;
        var next = serviceImages.ToDictionary(s => s.Key, s => ServicePin.Resolve(pins, s.Key, s.Value) ?? s.Value, StringComparer.Ordinal);
        var reasons = ServiceChanges.Since(session.Layout, store, current, next).ToDictionary(r => r.Key, r => r.Value.ToList(), StringComparer.Ordinal);
        foreach (var image in images)
        {
            foreach (var service in serviceImages.Where(s => s.Value == image.StackImage).Select(s => s.Key))
            {
                if (!reasons.TryGetValue(service, out var why)) reasons[service] = why = [];
                why.Add($"image rebuilt as {image.Next}");
            }
        }

        return [.. reasons.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new ServiceChange(r.Key, "would be recreated", r.Value))];
    }

    private async Task<IReadOnlyList<IncomingCommits>> IncomingAsync(DeploymentSession session, CancellationToken cancellationToken)
    {
        var fetched = await new GitOps.GitSync(env.ToolBox.Git).FetchAsync(GitOps.GitSync.Sources(session, env.DevRoot), cancellationToken);
        var stack = Path.GetFullPath(session.Identity.StackSource);
        var spec = session.Identity.SpecSource is { } source ? Path.GetFullPath(source) : null;
        return [.. fetched.Select(f => new IncomingCommits(f.Repository, f.Roles, f.Upstream, f.Commits,
            [.. f.Files.Select(file => new IncomingFile(file, Effect(Path.GetFullPath(Path.Combine(f.Repository, file)), stack, spec)))], f.Note))];
    }

    /// <summary>What restart does with an incoming file: the spec and the stack's files re-render D; a build folder rebuilds its image.</summary>
    internal static string Effect(string path, string stack, string? spec)
    {
        if (path == spec) return "the spec: restart re-renders D from it";
        if (!path.StartsWith(stack + "/", StringComparison.Ordinal)) return "not read by this deployment";
        var inStack = path[(stack.Length + 1)..].Split('/');
        if (inStack.Length > 2 && inStack[0] == "container-build") return $"build folder {inStack[1]}: restart rebuilds its image";
        return "a stack file: restart re-renders D from it";
    }

    /// <summary>
    /// Each buildable stack image whose build folder now has another revision (so another immutable tag) than the image
    /// the current revision runs: the build stage of a start would build it and the apply would recreate its services.
    /// </summary>
    private async Task<IReadOnlyList<ImageChange>> ImageChangesAsync(DeploymentSession session, RevisionRecord? current, CancellationToken cancellationToken)
    {
        var stackDirectory = session.Identity.StackSource;
        if (!session.Identity.StackSourceWritten || !Directory.Exists(stackDirectory)) return [];
        var diagnostics = new DiagnosticBag();
        var stack = Stack.Load(stackDirectory, new DiskHostFiles(), diagnostics, fallbackRoots: env.LaconicDataRoots);
        if (diagnostics.HasErrors) return [];
        var resolver = new StackRevisionResolver(env.ToolBox.Git);
        var changes = new List<ImageChange>();
        foreach (var container in stack.Definition.Containers)
        {
            // A build folder of the stack, or a repository in the dev root (CERC_REPO_BASE_DIR), as the build stage would pick.
            if (await ContainerBuilder.NextRevisionAsync(stack, container, env.RepositoryBase, resolver, cancellationToken) is not { } build) continue;
            var revision = build.Revision;
            var next = ContainerBuilder.ImmutableReference(container, revision.Tag);
            var stackImage = ContainerBuilder.LocalTag(container);
            string? running = null;
            current?.ImagePins.TryGetValue(stackImage, out running);
            if (running is not null && TagOf(running) == revision.Tag) continue;
            changes.Add(new ImageChange(stackImage, running, next, revision.Description, revision.Kind == RevisionKind.GitDirty));
        }

        return changes;
    }

    private static string TagOf(string reference)
    {
        var name = reference[(reference.LastIndexOf('/') + 1)..];
        var colon = name.LastIndexOf(':');
        return colon < 0 ? "" : name[(colon + 1)..];
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
