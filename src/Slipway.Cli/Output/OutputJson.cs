using System.Text.Json.Serialization;

namespace Slipway.Cli.Output;

/// <summary>The shapes <c>--output json</c> prints, serialized by source generation (no reflection at run time).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IReadOnlyList<ServiceJson>))]
[JsonSerializable(typeof(IReadOnlyList<RevisionJson>))]
[JsonSerializable(typeof(PlanJson))]
[JsonSerializable(typeof(RunJson))]
[JsonSerializable(typeof(IReadOnlyList<BuiltImageJson>))]
[JsonSerializable(typeof(DiagnoseJson))]
internal sealed partial class OutputJson : JsonSerializerContext;

/// <summary>How a start, restart, resume or rollback ended (--output json).</summary>
internal sealed record RunJson(string Run, string Command, string State, int? Revision, int? FailedRevision, string? Message, string? Hint, string Log, int ExitCode)
{
    /// <summary>restart: what the pull did per repository (empty for other commands).</summary>
    public IReadOnlyList<Infrastructure.Pipeline.RepositoryPull> Pulls { get; init; } = [];

    /// <summary>restart: the files of D the sync added or changed.</summary>
    public IReadOnlyList<Infrastructure.Pipeline.SyncedFile> ChangedFiles { get; init; } = [];

    /// <summary>The services the apply created or recreated, and why.</summary>
    public IReadOnlyList<Infrastructure.Pipeline.ServiceChange> Services { get; init; } = [];

    /// <summary>The commits the run's sources were at.</summary>
    public IReadOnlyList<Infrastructure.Pipeline.SourceCommit> Sources { get; init; } = [];
}

internal sealed record PortJson(string HostIp, int HostPort, int TargetPort, string Protocol);

internal sealed record ServiceJson(string Service, string Name, string Id, string State, string? Health, IReadOnlyList<PortJson> Ports);

internal sealed record RevisionJson(
    int Revision, DateTimeOffset Time, string Result, bool Current, string Command, string RunId, string SpecHash, int? SourceRevision,
    SortedDictionary<string, string> Images, SortedDictionary<string, string> ImagePins, PinJson? Pin = null)
{
    /// <summary>The commits of the stack's and the spec's repositories the revision came from.</summary>
    public IReadOnlyList<Infrastructure.Pipeline.SourceCommit> Sources { get; init; } = [];
}

/// <summary>On the revision a rollback pinned D to: start and restart refuse to move on from it without --unpin.</summary>
internal sealed record PinJson(string RunId, DateTimeOffset At);

internal sealed record ChangeJson(string Kind, string Name, string Action, string? Detail);

internal sealed record FileJson(string Path, string Change);

internal sealed record VolumeJson(string Name, string DataLivesIn, string SurvivesPodRestart, string SurvivesStop, string SurvivesDeleteVolumes, string SurvivesClusterDeletion);

internal sealed record PlanJson(int? CurrentRevision, IReadOnlyList<ChangeJson> Changes, IReadOnlyList<FileJson> Files, IReadOnlyList<VolumeJson> Volumes)
{
    public IReadOnlyList<ImageChangeJson> Images { get; init; } = [];

    /// <summary>plan --fetch: per source repository, the incoming commits and what their files would do (null without --fetch).</summary>
    public IReadOnlyList<Infrastructure.Operations.IncomingCommits>? Incoming { get; init; }

    /// <summary>The services a start would recreate, with why.</summary>
    public IReadOnlyList<Infrastructure.Pipeline.ServiceChange> Services { get; init; } = [];
}

internal sealed record ImageChangeJson(string StackImage, string? Current, string Next, string Why, bool Dirty);

internal sealed record BuiltImageJson(string Container, string StackImage, string Reference, string? Revision, bool Reused, string? Digest);

/// <summary>
/// diagnose --output json: the last run (with its failure and, when it did not finish, the resume that finishes it), the
/// lock, the pin, each service's state now, and the two diagnoses as the text diagnose prints.
/// </summary>
internal sealed record DiagnoseJson(
    DiagnoseRunJson? LastRun, DiagnoseLockJson? Lock, DiagnosePinJson? Pin, IReadOnlyList<ServiceStateJson> Services, string? RunDiagnosis, string Diagnosis);

/// <param name="State">succeeded, failed, rolled-back, rollback-failed, running or interrupted (also a run recorded as running whose process is gone).</param>
/// <param name="Resume">The command that finishes it, when it did not finish.</param>
internal sealed record DiagnoseRunJson(string Id, string Command, string State, IReadOnlyList<StageStateJson> Stages, string? Failure, string? Log, string? Resume);

internal sealed record StageStateJson(string Name, string State);

internal sealed record DiagnoseLockJson(string Holder, bool Stale);

internal sealed record DiagnosePinJson(int Revision, string RunId, DateTimeOffset At);

/// <param name="Condition">ready, starting or failed, as verify judges it.</param>
internal sealed record ServiceStateJson(string Service, string Name, string State, string? Health, string Condition);
