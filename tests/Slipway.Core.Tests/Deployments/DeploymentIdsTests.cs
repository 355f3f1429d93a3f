using Slipway.Core.Deployments;

namespace Slipway.Core.Tests.Deployments;

public sealed class DeploymentIdsTests
{
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void New_ids_are_lowercase_valid_and_prefixed()
    {
        var id = DeploymentIds.New(Start);

        Assert.Matches("^slipway-[0-9a-z]{9}$", id);
        Assert.True(DeploymentIds.IsValid(id));
    }

    [Fact]
    public void Ids_sort_in_creation_order_across_digit_boundaries()
    {
        var times = Enumerable.Range(0, 2000).Select(i => Start.AddSeconds(i * 37.3)).ToList();
        times.Add(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        times.Add(new DateTimeOffset(2030, 12, 1, 0, 0, 0, TimeSpan.Zero));
        times.Add(new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero));

        var ids = times.Select(t => DeploymentIds.New(t, _ => 35)).ToList();

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void The_same_tenth_of_a_second_differs_only_by_the_random_suffix()
    {
        var a = DeploymentIds.New(Start, _ => 0);
        var b = DeploymentIds.New(Start.AddMilliseconds(50), _ => 1);

        Assert.Equal(a[..^2], b[..^2]);
        Assert.EndsWith("00", a, StringComparison.Ordinal);
        Assert.EndsWith("11", b, StringComparison.Ordinal);
    }

    [Fact]
    public void Times_before_the_epoch_clamp_to_zero()
    {
        Assert.Equal("slipway-0000000zz", DeploymentIds.New(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), _ => 35));
    }

    [Theory]
    [InlineData("slipway-abc12", true)]
    [InlineData("laconic-6f1a2b3c4d5e6f70", true)]
    [InlineData("my_cluster-1", true)]
    [InlineData("0abc", true)]
    [InlineData("", false)]
    [InlineData("Slipway-abc", false)]
    [InlineData("-leading-dash", false)]
    [InlineData("_leading", false)]
    [InlineData("has.dot", false)]
    [InlineData("has space", false)]
    [InlineData("a123456789012345678901234567890123456789", true)]
    [InlineData("a1234567890123456789012345678901234567890", false)]
    public void Valid_ids_are_lowercase_alphanumerics_dashes_and_underscores_up_to_40(string id, bool valid)
    {
        Assert.Equal(valid, DeploymentIds.IsValid(id));
    }
}
