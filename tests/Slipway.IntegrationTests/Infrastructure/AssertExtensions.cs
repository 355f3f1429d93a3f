namespace Slipway.IntegrationTests.Infrastructure;

public static class AssertExtensions
{
    public static void ShouldBeTrue(this bool condition, string what) => Assert.True(condition, what);
}
