using Slipway.Core.Deployments;

namespace Slipway.Core.Tests.Deployments;

public sealed class VolumeStorageTests
{
    private static readonly LiveVolume Named = new("db", "p_db", null, "/var/lib/docker/volumes/p_db/_data");
    private static readonly LiveVolume Bound = new("files", "p_files", "/srv/a", "/var/lib/docker/volumes/p_files/_data");

    [Fact]
    public void Volumes_with_the_storage_D_declares_or_not_created_yet_are_no_mismatch()
    {
        var declared = new Dictionary<string, string?> { ["db"] = null, ["files"] = "/srv/a/", ["new"] = "/srv/new" };

        Assert.Empty(VolumeStorage.Compare(declared, [Named, Bound]));
    }

    [Fact]
    public void A_named_volume_now_declared_as_a_host_path_and_a_bind_moved_elsewhere_are_mismatches()
    {
        var declared = new Dictionary<string, string?> { ["db"] = "/srv/db", ["files"] = "/srv/b" };

        var mismatches = VolumeStorage.Compare(declared, [Bound, Named]);

        Assert.Equal(["db", "files"], mismatches.Select(m => m.Live.Volume));
        Assert.Equal(
            "the storage of volumes 'db' is live as Docker named volume p_db (/var/lib/docker/volumes/p_db/_data), but D declares host directory /srv/db; "
            + "'files' is live as host directory /srv/a, but D declares host directory /srv/b. Docker keeps an existing volume's storage, so this run would "
            + "keep using the old one while plan and deploy create name the new; nothing was changed",
            VolumeStorage.Message(mismatches));
    }

    [Fact]
    public void The_steps_copy_before_removing_and_say_what_removing_a_volume_deletes()
    {
        var steps = VolumeStorage.Steps([new VolumeStorageMismatch(Named, "/srv/db"), new VolumeStorageMismatch(Bound, null)], "/d");

        Assert.Equal(
            "to keep the old storage, put the spec's volume back and run 'deploy create --update'; to move the data:\n"
            + "  1) slipway deployment --dir /d stop\n"
            + "  2) copy the data unless /srv/db already holds it (after moving D it does): mkdir -p /srv/db && cp -a /var/lib/docker/volumes/p_db/_data/. /srv/db/\n"
            + "  3) docker volume rm p_db (this deletes the data in Docker's storage: only after the copy)\n"
            + "  4) keep a copy of the data: cp -a /srv/a/. /some/backup/ (the new named volume starts empty; copy it in after the start)\n"
            + "  5) docker volume rm p_files (a bind volume: this drops Docker's record only, /srv/a is not touched)\n"
            + "  6) slipway deployment --dir /d start (compose creates each volume with the storage D declares)",
            steps);
    }
}
