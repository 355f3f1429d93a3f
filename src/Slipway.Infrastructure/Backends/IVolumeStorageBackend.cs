using Slipway.Core.Deployments;

namespace Slipway.Infrastructure.Backends;

/// <summary>
/// A backend whose engine keeps a volume's first storage whatever the files say later (compose: a local volume's
/// driver options). Prepare refuses a mismatch before anything is built; plan describes the storage in use.
/// </summary>
public interface IVolumeStorageBackend
{
    /// <summary>The deployment's live volumes, as the engine has them.</summary>
    Task<IReadOnlyList<LiveVolume>> LiveVolumesAsync(CancellationToken cancellationToken);

    /// <summary>The volumes whose live storage is not the one D declares.</summary>
    Task<IReadOnlyList<VolumeStorageMismatch>> VolumeStorageMismatchesAsync(CancellationToken cancellationToken);

    /// <summary>What creates the volumes again at the start after a migration, as the refusal's last step says it.</summary>
    string VolumeCreator => "compose";
}
