namespace Slipway.Infrastructure.Pipeline;

/// <summary>revision.json: what one revision put in place (its files are in the <c>files/</c> folder beside it).</summary>
public sealed record RevisionRecord
{
    public required int Number { get; init; }

    public required DateTimeOffset Time { get; init; }

    /// <summary>good: verified healthy; failed: applied, then failed verify (kept for history and diagnosis).</summary>
    public required string Result { get; init; }

    public required string Command { get; init; }

    public required string RunId { get; init; }

    /// <summary>SHA-256 (first 12 hex) of D/spec.yml as applied.</summary>
    public required string SpecHash { get; init; }

    /// <summary>SHA-256 of every snapshotted file (names and content): equal hashes mean nothing to record.</summary>
    public required string FilesHash { get; init; }

    public IReadOnlyDictionary<string, string> ImagePins { get; init; } = new Dictionary<string, string>();

    /// <summary>service → image reference it ran (pins applied).</summary>
    public IReadOnlyDictionary<string, string> Images { get; init; } = new Dictionary<string, string>();

    /// <summary>For a rollback: the revision whose files and pins were put back.</summary>
    public int? SourceRevision { get; init; }

    /// <summary>The commits of the stack's and the spec's repositories this revision came from (empty: not recorded).</summary>
    public IReadOnlyList<SourceCommit> Sources { get; init; } = [];

    public const string Good = "good";
    public const string Failed = "failed";
}
