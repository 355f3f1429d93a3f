using System.Text.Json.Serialization;

namespace Slipway.Infrastructure.Pipeline;

public enum RunState
{
    Running,
    Succeeded,
    Failed,
    RolledBack,
    RollbackFailed,

    /// <summary>Ended by Ctrl+C or SIGTERM between or during stages: its record was saved and its lock released; <c>resume</c> finishes it.</summary>
    Interrupted,
}

/// <summary>D/.slipway/runs/&lt;run-id&gt;/run.json: one run of the pipeline, rewritten atomically as each stage starts and when the run ends.</summary>
public sealed class RunRecord
{
    public required string Id { get; init; }

    /// <summary>start, restart or rollback.</summary>
    public required string Command { get; init; }

    public RunState State { get; set; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; set; }

    public string Owner { get; init; } = "";

    public string Host { get; init; } = "";

    public RunParameters Parameters { get; init; } = new();

    public List<StageRecord> Stages { get; init; } = [];

    /// <summary>Pins of the revision that was live when the run began; kept unless this run's images replace them.</summary>
    public Dictionary<string, string> CarriedPins { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The images build made (stack image → immutable tag), replaced by their pushed references after push.</summary>
    public List<ImagePin> Built { get; set; } = [];

    /// <summary>Pins from build/push, keyed as the backend's files name the images.</summary>
    public Dictionary<string, string> BuiltPins { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Pins from <c>--image</c> overrides (and sync); they win over built ones for this run.</summary>
    public Dictionary<string, string> OverridePins { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The revision this run recorded (or found unchanged) when it succeeded.</summary>
    public int? Revision { get; set; }

    /// <summary>The revision recorded for what this run applied when it failed.</summary>
    public int? FailedRevision { get; set; }

    /// <summary>The last good revision the failure handling puts back.</summary>
    public int? RollbackTarget { get; set; }

    /// <summary>rollback: the revision this run puts back (--to-revision, or the good one before the live one).</summary>
    public int? RestoreRevision { get; set; }

    public string? Failure { get; set; }

    public string? FailureReason { get; set; }

    /// <summary>The failed stage's own hint (what to do), kept for the run's final message.</summary>
    public string? FailureHint { get; set; }

    /// <summary>
    /// The child commands this run has in flight (pid and its start time, /proc/PID/stat field 22): saved as each one
    /// starts, so a run killed alone names the children it left running and resume can wait for them.
    /// </summary>
    public List<ChildProcess> Children { get; set; } = [];

    /// <summary>
    /// Registry servers this run ran <c>docker login</c> for (recorded before the login): the run's end logs out of
    /// each, and a run killed before its end leaves them for its resume to log out of.
    /// </summary>
    public List<string> RegistryLogins { get; set; } = [];

    /// <summary>restart: what the pull did to each repository.</summary>
    public List<RepositoryPull> Pulls { get; set; } = [];

    /// <summary>restart: the files of D the sync added or changed.</summary>
    public List<SyncedFile> SyncedFiles { get; set; } = [];

    /// <summary>The commits D's sources were at when the run prepared (recorded with its revision).</summary>
    public List<SourceCommit> Sources { get; set; } = [];

    /// <summary>apply: the services it created or recreated, with why.</summary>
    public List<ServiceChange> Recreated { get; set; } = [];

    /// <summary>Log files of this run: the first run, then one per resume.</summary>
    public List<string> Logs { get; init; } = [];

    [JsonIgnore]
    public IReadOnlyDictionary<string, string> EffectivePins
    {
        get
        {
            var pins = new Dictionary<string, string>(CarriedPins, StringComparer.Ordinal);
            foreach (var (image, reference) in BuiltPins) pins[image] = reference;
            foreach (var (image, reference) in OverridePins) pins[image] = reference;
            return pins;
        }
    }

    /// <summary>The stage to run next: the first one not finished (a stage left running was interrupted and runs again).</summary>
    [JsonIgnore]
    public StageRecord? Next => Stages.FirstOrDefault(s => s.State is StageState.Pending or StageState.Running);
}

/// <summary>
/// A child command of a run: its pid, the pid's start time in clock ticks since boot, what it runs, and the folder its
/// output goes to (<c>$TMPDIR/slipway-child-*</c>; none when its output is a pipe), which resume collects into its log.
/// </summary>
public sealed record ChildProcess(int Pid, long ProcessStart, string Command, string? OutputFolder = null);
