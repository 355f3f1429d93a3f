namespace Slipway.Core.Deployments;

/// <summary>A volume as the engine holds it: its compose name, the engine's name, the bind device behind it (null: Docker's own storage) and its mountpoint.</summary>
public sealed record LiveVolume(string Volume, string EngineName, string? Device, string Mountpoint)
{
    public string Where => Device is not null ? $"host directory {Device}" : $"Docker named volume {EngineName} ({Mountpoint})";
}

/// <summary>A volume whose live storage is not the one D declares: Docker keeps an existing volume's options, so an apply would keep using the old storage.</summary>
public sealed record VolumeStorageMismatch(LiveVolume Live, string? DeclaredDevice)
{
    public string Declared => DeclaredDevice is not null ? $"host directory {DeclaredDevice}" : "a Docker named volume";
}

/// <summary>
/// Compares the storage D declares for each named volume (a bind device or Docker's own storage) with what the engine
/// has, and words the refusal with the steps that move data safely. Pure: the caller inspects the engine.
/// </summary>
public static class VolumeStorage
{
    /// <summary>The volumes D declares (name → device or null) whose live volume has other storage. A volume not created yet is no mismatch.</summary>
    public static IReadOnlyList<VolumeStorageMismatch> Compare(IReadOnlyDictionary<string, string?> declared, IReadOnlyList<LiveVolume> live)
    {
        var mismatches = new List<VolumeStorageMismatch>();
        foreach (var volume in live.OrderBy(v => v.Volume, StringComparer.Ordinal))
        {
            if (!declared.TryGetValue(volume.Volume, out var device)) continue;
            if (Same(device, volume.Device)) continue;
            mismatches.Add(new VolumeStorageMismatch(volume, device));
        }

        return mismatches;
    }

    private static bool Same(string? a, string? b) =>
        a is null || b is null ? a is null && b is null : string.Equals(Normal(a), Normal(b), StringComparison.Ordinal);

    private static string Normal(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    /// <summary>The refusal: what is live, what D declares, that nothing was changed.</summary>
    public static string Message(IReadOnlyList<VolumeStorageMismatch> mismatches, string declarer = "D") =>
        "the storage of " + (mismatches.Count == 1 ? "volume " : "volumes ") + string.Join("; ", mismatches.Select(m =>
            $"'{m.Live.Volume}' is live as {m.Live.Where}, but {declarer} declares {m.Declared}"))
        + ". Docker keeps an existing volume's storage, so this run would keep using the old one while plan and deploy create name the new; nothing was changed";

    /// <summary>
    /// The safe steps for each volume: stop, copy the data where it should go, drop Docker's record of the volume, start.
    /// <paramref name="creator"/> is what creates the volumes again at that start (compose, or docker stack deploy).
    /// </summary>
    /// <param name="finish">The command that applies the declared storage once the data is moved (rollback: back to that revision).</param>
    /// <param name="keep">How to keep the old storage instead.</param>
    public static string Steps(IReadOnlyList<VolumeStorageMismatch> mismatches, string deploymentDirectory, string creator = "compose", string finish = "start",
        string keep = "put the spec's volume back and run 'deploy create --update'", string declarer = "D")
    {
        var lines = new List<string> { $"1) slipway deployment --dir {deploymentDirectory} stop" };
        var step = 2;
        foreach (var m in mismatches)
        {
            var from = m.Live.Device ?? m.Live.Mountpoint;
            var to = m.DeclaredDevice;
            if (to is not null)
            {
                lines.Add($"{step++}) copy the data unless {to} already holds it (after moving D it does): mkdir -p {to} && cp -a {from}/. {to}/");
            }
            else
            {
                lines.Add($"{step++}) keep a copy of the data: cp -a {from}/. /some/backup/ (the new named volume starts empty; copy it in after the start)");
            }

            lines.Add($"{step++}) docker volume rm {m.Live.EngineName}" + (m.Live.Device is not null
                ? $" (a bind volume: this drops Docker's record only, {m.Live.Device} is not touched)"
                : " (this deletes the data in Docker's storage: only after the copy)"));
        }

        lines.Add($"{step}) slipway deployment --dir {deploymentDirectory} {finish} ({creator} creates each volume with the storage {declarer} declares)");
        return $"to keep the old storage, {keep}; to move the data:\n  " + string.Join("\n  ", lines);
    }
}
