using Slipway.Infrastructure.Pipeline;

namespace Slipway.Infrastructure.Operations;

/// <param name="Current">The live revision: the newest good one (null before the first good run).</param>
/// <param name="Pin">The revision a rollback pinned D to (start and restart refuse to move on without --unpin).</param>
public sealed record HistoryResult(IReadOnlyList<RevisionRecord> Revisions, int? Current, PinRecord? Pin = null);

/// <summary><c>deployment --dir D history</c>: the recorded revisions, oldest first.</summary>
public sealed class History(SlipwayEnvironment env)
{
    public HistoryResult Run(string directory)
    {
        var layout = env.OpenDeployment(directory).Layout;
        var revisions = new RevisionStore(layout).List();
        return new HistoryResult(revisions, revisions.LastOrDefault(r => r.Result == RevisionRecord.Good)?.Number, DeploymentPin.Read(layout));
    }
}
