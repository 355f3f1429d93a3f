using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Operations;

namespace Slipway.Infrastructure.GitOps;

/// <param name="Pull">What the pull did to each repository.</param>
/// <param name="Sync">What the sync wrote into D, the checked --image overrides and their pins.</param>
public sealed record GitOpsPrepareResult(GitPullReport Pull, SyncResult Sync)
{
    /// <summary>Human lines for the run log and output: one per repository, one per file written into D.</summary>
    public IReadOnlyList<string> Lines => [.. Pull.Repositories.Select(r => "git: " + r.Describe()), .. Sync.Changes];
}

/// <summary>
/// restart's prepare stage (GitOps, seeds 000/001): pull the stack's and the spec's repositories, then sync D from
/// the git-tracked spec with the code of <c>deploy create --update</c>. A failing pull throws before anything
/// changes; so do a bad spec and a bad <c>--image</c>. Every git command goes through <c>env.Runner</c> (the run log).
/// </summary>
public sealed class GitOpsPrepare(SlipwayEnvironment env)
{
    /// <param name="serviceImages">The run's <c>--image SERVICE=IMAGE</c> overrides (service → image).</param>
    public async Task<GitOpsPrepareResult> RunAsync(Deployment deployment, IReadOnlyDictionary<string, string> serviceImages, CancellationToken cancellationToken)
    {
        var overrides = serviceImages.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new ServiceImageOverride(s.Key, s.Value)).ToList();
        var pull = await new GitSync(env.Runner).PullAsync(deployment, cancellationToken);
        var sync = await new SourceSync(env).SyncAsync(deployment, overrides, cancellationToken);
        return new GitOpsPrepareResult(pull, sync);
    }
}
