using Slipway.Infrastructure.GitOps;
using Slipway.Infrastructure.Operations;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Pipeline.StageBodies;

/// <summary>restart's prepare: git pull of the stack and spec repositories, then D synced from the git-tracked spec.</summary>
public sealed class GitOpsSourceSync(Func<IProcessRunner, SlipwayEnvironment> environment) : ISourceSync
{
    public async Task<SourceSyncResult> SyncAsync(PipelineContext context, IReadOnlyDictionary<string, string> serviceImages, CancellationToken cancellationToken)
    {
        var result = await new GitOpsPrepare(environment(context.Runner)).RunAsync(context.Deployment, serviceImages, cancellationToken);
        foreach (var warning in result.Sync.SharedImageWarnings()) context.Reporter.Warn(warning);
        return new SourceSyncResult(result.Sync.ImagePins().Select(p => new ImagePin(p.Key, p.Value)).ToList(), result.Lines);
    }
}
