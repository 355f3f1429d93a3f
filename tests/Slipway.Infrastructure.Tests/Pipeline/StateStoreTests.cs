using Slipway.Core.Deployments;
using Slipway.Infrastructure.Pipeline;

namespace Slipway.Infrastructure.Tests.Pipeline;

public sealed class StateStoreTests : IDisposable
{
    private readonly string _d = Directory.CreateTempSubdirectory("slipway-stores-").FullName;

    public void Dispose() => Directory.Delete(_d, recursive: true);

    private DeploymentLayout Layout => new(_d);

    private RevisionRecord Revision(int number, string result) => new()
    {
        Number = number, Time = DateTimeOffset.UnixEpoch, Result = result, Command = "start", RunId = $"run-{number}",
        SpecHash = "-", FilesHash = "-",
    };

    [Fact]
    public void Last_good_is_the_highest_numbered_good_revision_not_the_last_in_text_order()
    {
        var store = new RevisionStore(Layout);
        foreach (var n in new[] { 2, 9 }) store.Record(n, Revision(n, RevisionRecord.Good));
        store.Record(10, Revision(10, RevisionRecord.Good));
        store.Record(11, Revision(11, RevisionRecord.Failed));
        Directory.CreateDirectory(Path.Combine(store.Root, "12")); // half recorded: no revision.json

        Assert.Equal(10, store.LastGood()!.Number);
    }

    [Fact]
    public void Last_good_is_none_when_no_revision_was_verified()
    {
        var store = new RevisionStore(Layout);
        Assert.Null(store.LastGood());
        store.Record(1, Revision(1, RevisionRecord.Failed));
        Assert.Null(store.LastGood());
    }

    [Fact]
    public void Latest_run_is_the_newest_folder_that_holds_a_run_record()
    {
        var store = new RunStore(Layout);
        Assert.Null(store.Latest());
        var older = new RunRecord { Id = "20261201T100000000Z-start-aaaa", Command = "start" };
        var newer = new RunRecord { Id = "20261201T110000000Z-restart-bbbb", Command = "restart" };
        store.Save(newer);
        store.Save(older);
        Directory.CreateDirectory(store.Directory("20261201T120000000Z-start-cccc")); // created, record not yet written

        Assert.Equal(newer.Id, store.Latest()!.Id);
    }

    [Fact]
    public void Prune_keeps_the_newest_runs()
    {
        var store = new RunStore(Layout);
        foreach (var hour in new[] { 10, 11, 12 }) store.Save(new RunRecord { Id = $"20261201T{hour}0000000Z-start-x", Command = "start" });

        store.Prune(keep: 2);

        Assert.Equal(["20261201T110000000Z-start-x", "20261201T120000000Z-start-x"], store.Ids());
    }
}
