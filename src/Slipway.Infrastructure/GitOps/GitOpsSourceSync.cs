using Slipway.Infrastructure.Operations;
using Slipway.Infrastructure.Pipeline;

namespace Slipway.Infrastructure.GitOps;

/// <summary>restart's prepare: git pull of the stack and spec repositories, then D synced from the git-tracked spec.</summary>
public sealed class GitOpsSourceSync(SlipwayEnvironment env) : ISourceSync
{
    public async Task<SourceSyncResult> SyncAsync(RunContext context, IReadOnlyDictionary<string, string> serviceImages, CancellationToken cancellationToken)
    {
        // Every git and hook command of the sync goes through the run's logging runner.
        var local = env with { Runner = context.Runner, Reporter = context.Reporter };
        var pull = await new GitSync(context.Tools.Git).PullAsync(context.Session, cancellationToken);
        var sync = await new SourceSync(local).SyncAsync(context.Session, serviceImages, cancellationToken);
        var pins = sync.ImagePins().Select(p => new ImagePin(p.Key, p.Value)).ToList();
        return new SourceSyncResult(pins, [.. pull.Repositories.Select(r => "git: " + r.Describe()), .. sync.Changes], sync.SharedImageWarnings());
    }
}
