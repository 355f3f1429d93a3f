using Slipway.Infrastructure.Pipeline;

namespace Slipway.Infrastructure.Operations;

/// <param name="Current">The live revision: the newest good one (null before the first good run).</param>
public sealed record HistoryResult(IReadOnlyList<RevisionRecord> Revisions, int? Current);

/// <summary><c>deployment --dir D history</c>: the recorded revisions, oldest first.</summary>
public sealed class History(SlipwayEnvironment env)
{
    public HistoryResult Run(string directory)
    {
        var revisions = new RevisionStore(env.OpenDeployment(directory).Layout).List();
        return new HistoryResult(revisions, revisions.LastOrDefault(r => r.Result == RevisionRecord.Good)?.Number);
    }
}
