using Slipway.Infrastructure.Backends.Compose;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Tests.Backends;

/// <summary>
/// What resume does with a recreate a killed compose left half-done, for each step it can stop after (the real engine's
/// case is OrphanRecreateTests): the container under the temporary name is removed only while the other container of
/// its slot exists, and is otherwise renamed to the slot's name; a running one, and every volume, is left alone.
/// </summary>
public sealed class InterruptedRecreateTests
{
    private const string OldId = "0123456789ab0000000000000000000000000000000000000000000000000000";
    private const string NewId = "fedcba9876540000000000000000000000000000000000000000000000000000";
    private const string Temporary = "0123456789ab_shop-web-1";
    private readonly FakeProcessRunner _runner = new() { Strict = true };

    private async Task<IReadOnlyList<string>> RepairAsync(params string[] containers)
    {
        _runner.On("docker", "ps").Returns(0, string.Join('\n', containers) + "\n");
        _runner.On("docker", "rm").Returns(0);
        _runner.On("docker", "rename").Returns(0);
        return await InterruptedRecreate.RepairAsync(new Docker(_runner), "shop", CancellationToken.None);
    }

    private IReadOnlyList<string> Changes() => [.. _runner.CallLines().Where(l => !l.StartsWith("docker ps", StringComparison.Ordinal))];

    [Theory]
    [InlineData("running")]
    [InlineData("exited")]
    public async Task The_new_container_made_beside_the_old_one_is_removed_without_its_volumes_and_the_old_one_is_kept(string oldState)
    {
        var done = await RepairAsync($"{OldId}\tshop-web-1\t{oldState}", $"{NewId}\t{Temporary}\tcreated");

        Assert.Equal([$"docker rm {NewId}"], Changes());
        var line = Assert.Single(done);
        Assert.Contains($"left {Temporary} (created), the new container it had made to replace shop-web-1 ({oldState}): removed it", line);
    }

    [Fact]
    public async Task The_new_container_whose_old_one_was_already_removed_is_renamed_to_the_slots_name()
    {
        var done = await RepairAsync($"{NewId}\t{Temporary}\tcreated");

        Assert.Equal([$"docker rename {NewId} shop-web-1"], Changes());
        Assert.Contains("renamed it to shop-web-1, as compose would have", Assert.Single(done));
    }

    [Fact]
    public async Task An_older_composes_renamed_old_container_goes_once_its_replacement_exists_and_is_renamed_back_before()
    {
        var replaced = await RepairAsync($"{OldId}\t{Temporary}\texited", $"{NewId}\tshop-web-1\tcreated");
        Assert.Equal([$"docker rm {OldId}"], Changes());
        Assert.Contains("the old container of shop-web-1, beside its replacement shop-web-1 (created): removed it", Assert.Single(replaced));

        var alone = new InterruptedRecreateTests();
        var renamed = await alone.RepairAsync($"{OldId}\t{Temporary}\texited");
        Assert.Equal([$"docker rename {OldId} shop-web-1"], alone.Changes());
        Assert.Contains("renamed it back to shop-web-1", Assert.Single(renamed));
    }

    [Fact]
    public async Task A_running_container_under_a_temporary_name_or_one_beside_a_stranger_is_left_alone_and_said()
    {
        var done = await RepairAsync(
            $"{OldId}\tshop-web-1\trunning", $"{NewId}\t{Temporary}\trunning",
            "aaaaaaaaaaaa0000\tbbbbbbbbbbbb_shop-db-1\tcreated", "cccccccccccc0000\tshop-db-1\trunning");

        Assert.Empty(Changes());
        Assert.Equal(2, done.Count);
        Assert.Contains("it runs, so it was left alone", done[0]);
        Assert.Contains("which is not the container it replaced: both left alone", done[1]);
    }

    [Fact]
    public async Task A_project_without_temporary_names_is_left_as_it_is()
    {
        var done = await RepairAsync($"{OldId}\tshop-web-1\trunning", "b2\tshop-worker-1\texited", "c3\tshop-web-run-0123456789ab\texited");

        Assert.Empty(done);
        Assert.Empty(Changes());
    }
}
