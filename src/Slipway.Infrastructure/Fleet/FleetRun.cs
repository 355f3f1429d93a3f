using System.Text.Json.Serialization;

namespace Slipway.Infrastructure.Fleet;

/// <summary>
/// The fleet run record (<c>.slipway/fleet/runs/&lt;id&gt;.json</c> next to the inventory): which host ran which deployment,
/// with which run id and result. Saved whenever an item changes, so a killed orchestrator leaves what it knew.
/// </summary>
public sealed class FleetRun
{
    public required string Id { get; init; }

    /// <summary>deploy, resume or rollback.</summary>
    public required string Command { get; init; }

    /// <summary>The fleet run this one continues (resume) or undoes (rollback).</summary>
    public string? Of { get; init; }

    public required string Commit { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>running, succeeded, failed, refused (prepare failed: nothing applied), declined (not confirmed).</summary>
    public string State { get; set; } = "running";

    public string? Message { get; set; }

    public int Parallel { get; init; } = 1;

    public List<FleetHostRun> Hosts { get; init; } = [];
}

/// <summary>One host of a fleet run and what prepare found there.</summary>
public sealed class FleetHostRun
{
    public required string Host { get; init; }

    /// <summary>pending, running, succeeded, failed, unreachable, skipped (unreachable with --skip-unreachable), not-started.</summary>
    public string State { get; set; } = "pending";

    public List<FleetCheck> Checks { get; init; } = [];

    public List<FleetItemRun> Deployments { get; init; } = [];

    public string? Message { get; set; }
}

/// <summary>One deployment on one host: the host's own run of it.</summary>
public sealed class FleetItemRun
{
    public required string Deployment { get; init; }

    public required string Dir { get; init; }

    /// <summary>pending, running, then the host run's state (succeeded, rolled-back, failed, rollback-failed), or unreachable.</summary>
    public string State { get; set; } = "pending";

    /// <summary>The verb the host ran (restart, start, resume, rollback).</summary>
    public string? Verb { get; set; }

    public string? RunId { get; set; }

    public int? Revision { get; set; }

    public int? ExitCode { get; set; }

    public string? Message { get; set; }

    public double? Seconds { get; set; }

    /// <summary>Copied from the run a resume continued (this run did not run it).</summary>
    public bool Carried { get; set; }

    [JsonIgnore]
    public bool Finished => State is "succeeded";
}

/// <summary>A prepare or onboard check on a host.</summary>
public sealed record FleetCheck(string Deployment, string Name, string Status, string Detail)
{
    [JsonIgnore]
    public bool Failed => Status == "fail";
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FleetRun))]
[JsonSerializable(typeof(FleetLockOwner))]
public sealed partial class FleetJson : JsonSerializerContext;
