using Slipway.Infrastructure.Pipeline;

namespace Slipway.Infrastructure.Operations;

/// <param name="LastRun">D's latest run, when there is one.</param>
/// <param name="Lock">Who holds D's lock now, and whether that process is gone.</param>
public sealed record DiagnoseResult(RunRecord? LastRun, LockOwner? Lock, bool LockIsStale, string Diagnosis);

/// <summary><c>deployment --dir D diagnose</c>: the last run, the lock, and the backend's diagnosis of the live state.</summary>
public sealed class Diagnose(SlipwayEnvironment env)
{
    public async Task<DiagnoseResult> RunAsync(string directory, int tailLines, CancellationToken cancellationToken)
    {
        var session = env.OpenDeployment(directory);
        var holder = DeploymentLock.Holder(session.Layout);
        var diagnosis = await env.Backend(session).DiagnoseAsync(tailLines, cancellationToken);
        return new DiagnoseResult(new RunStore(session.Layout).Latest(), holder, holder is not null && DeploymentLock.IsStale(holder), diagnosis);
    }
}
