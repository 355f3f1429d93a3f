using System.Text.Json;
using System.Text.Json.Serialization;

namespace Slipway.Infrastructure.Pipeline;

/// <summary>
/// run.json, revision.json and the lock file, serialized by source generation: no reflection at run time (it cost
/// a start tens of milliseconds of warm-up). Enum values are written kebab-case (<c>rolled-back</c>).
/// </summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(KebabCaseEnum<RunState>), typeof(KebabCaseEnum<StageState>)])]
[JsonSerializable(typeof(RunRecord))]
[JsonSerializable(typeof(RevisionRecord))]
[JsonSerializable(typeof(LockOwner))]
[JsonSerializable(typeof(PinRecord))]
public sealed partial class StateJson : JsonSerializerContext;

/// <summary>An enum as its kebab-case name, for the state files.</summary>
public sealed class KebabCaseEnum<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.KebabCaseLower) where T : struct, Enum;
