using Slipway.Core.Specs;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Operations;
using Slipway.Infrastructure.Pipeline;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.GitOps;

/// <param name="Pull">What the pull did to each repository.</param>
/// <param name="Sync">What the sync wrote into D, the checked --image overrides and their pins.</param>
internal sealed record GitOpsSyncResult(GitPullReport Pull, SyncResult Sync)
{
    /// <summary>Human lines for the run log and output: one per repository, one per file written into D.</summary>
    public IReadOnlyList<string> Lines => [.. Pull.Repositories.Select(r => "git: " + r.Describe()), .. Sync.Changes];
}

/// <summary>
/// restart's prepare (GitOps): pull the stack's, the spec's and the pods' repositories, then sync D from the git-tracked spec
/// with the code of <c>deploy create --update</c>. A failing pull throws before anything changes; so do a bad spec
/// and a bad <c>--image</c>. Every git and hook command goes through the given runner (the run's log).
/// </summary>
internal sealed class GitOpsSourceSync(SlipwayEnvironment env) : ISourceSync
{
    public async Task<SourceSyncResult> SyncAsync(RunContext context, IReadOnlyDictionary<string, string> serviceImages, CancellationToken cancellationToken)
    {
        var parameters = context.Run.Parameters;
        var result = await RunAsync(context.Session, context.Runner, serviceImages, cancellationToken, parameters.SourceCommit, parameters.StackSource, parameters.SpecSource);
        // Kubernetes renders one image per stack image; compose and swarm can pin a single service.
        var perService = !context.Session.Target.IsKubernetes();
        var pins = result.Sync.ImagePins(perService).Select(p => new ImagePin(p.Key, p.Value)).ToList();
        return new SourceSyncResult(pins, result.Sync.Changes, result.Sync.SharedImageWarnings(perService))
        {
            Pulls = [.. result.Pull.Repositories.Select(r => "git: " + r.Describe())],
            Repositories = [.. result.Pull.Repositories.Select(r => new RepositoryPull(r.Path, r.Roles, OutcomeName(r.Outcome), r.Branch, r.Upstream, r.Before, r.After, r.Describe()))],
            Files = result.Sync.Create.Update is { } update
                ? [.. update.Changed.Select(f => new SyncedFile(f, "changed")), .. update.Added.Select(f => new SyncedFile(f, "added"))]
                : [],
        };
    }

    private static string OutcomeName(GitPullOutcome outcome) => outcome switch
    {
        GitPullOutcome.NotARepository => "not-a-repository",
        GitPullOutcome.NoUpstream => "no-upstream",
        GitPullOutcome.UpToDate => "up-to-date",
        _ => "updated",
    };

    /// <param name="serviceImages">The run's <c>--image SERVICE=IMAGE</c> overrides (service → image).</param>
    /// <param name="specCommit">Move the spec's repository to this commit instead of its upstream (see <see cref="GitSync.PullAsync(IReadOnlyList{GitSource}, CancellationToken, string?)"/>).</param>
    /// <param name="stackSource">restart --stack-path: the stack folder to pull instead of deployment.yml's stack-source.</param>
    /// <param name="specSource">restart --spec-file: the spec to sync from instead of deployment.yml's spec-source.</param>
    public async Task<GitOpsSyncResult> RunAsync(DeploymentSession session, IProcessRunner runner, IReadOnlyDictionary<string, string> serviceImages, CancellationToken cancellationToken,
        string? specCommit = null, string? stackSource = null, string? specSource = null)
    {
        var sources = GitSync.Sources(session, env.DevRoot, stackSource, specSource);
        var pull = await new GitSync(env.Tools.With(runner).Git).PullAsync(sources, cancellationToken, specCommit);
        var sync = await new SourceSync(env with { Runner = runner }).SyncAsync(session, serviceImages, cancellationToken, specSource);
        return new GitOpsSyncResult(pull, sync);
    }
}
