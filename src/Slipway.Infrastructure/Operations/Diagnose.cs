using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Pipeline;

namespace Slipway.Infrastructure.Operations;

/// <param name="LastRun">D's latest run, when there is one.</param>
/// <param name="Lock">Who holds D's lock now, and whether that process is gone.</param>
/// <param name="Diagnosis">The backend's diagnosis of the live state now.</param>
/// <param name="RunDiagnosis">The diagnosis the last run wrote when it failed (kept with the run: after a rollback the live state is healthy).</param>
/// <param name="Pin">The revision a rollback pinned D to, when it is pinned.</param>
public sealed record DiagnoseResult(RunRecord? LastRun, LockOwner? Lock, bool LockIsStale, string Diagnosis, string? RunDiagnosis = null, PinRecord? Pin = null)
{
    /// <summary>Each container or pod now, and each service D expects without one (missing).</summary>
    public IReadOnlyList<Backends.ServiceState> Services { get; init; } = [];

    /// <summary>
    /// The last run did not finish and nothing is running it: ended by a signal, or recorded as running while no live
    /// process holds its lock (killed). <c>resume</c> finishes it.
    /// </summary>
    public bool LastRunInterrupted => LastRun is { State: RunState.Interrupted }
        || (LastRun is { State: RunState.Running } run && (Lock is null || LockIsStale || Lock.RunId != run.Id));
}

/// <summary><c>deployment --dir D diagnose</c>: the last run, the lock, and the backend's diagnosis of the live state.</summary>
public sealed class Diagnose(SlipwayEnvironment env)
{
    public async Task<DiagnoseResult> RunAsync(string directory, int tailLines, CancellationToken cancellationToken)
    {
        var session = env.OpenDeployment(directory);
        var holder = DeploymentLock.Holder(session.Layout);
        var backend = env.Backend(session);
        var diagnosis = await backend.DiagnoseAsync(tailLines, cancellationToken);
        var services = await backend.StatusAsync(cancellationToken);
        var runs = new RunStore(session.Layout);
        RunRecord? last = null;
        try
        {
            last = runs.Latest();
        }
        catch (DamagedRunException damaged)
        {
            // diagnose is where an operator looks when stuck: it names the damage and goes on with the rest.
            env.Reporter.Warn($"{damaged.Message}; hint: {damaged.Hint}");
        }

        PinRecord? pin = null;
        try
        {
            pin = DeploymentPin.Read(session.Layout);
        }
        catch (SlipwayException damaged)
        {
            env.Reporter.Warn($"{damaged.Message}; hint: {damaged.Hint}");
        }

        var kept = last is null ? null : runs.DiagnosisFile(last.Id);
        var runDiagnosis = kept is not null && File.Exists(kept) ? (await File.ReadAllTextAsync(kept, cancellationToken)).TrimEnd() : null;
        return new DiagnoseResult(last, holder, holder is not null && DeploymentLock.IsStale(holder), diagnosis, runDiagnosis, pin) { Services = services };
    }
}
