namespace Slipway.IntegrationTests.Infrastructure;

/// <summary>Where the stacks the tests deploy live (in the source tree, found from the test binary).</summary>
public static class Paths
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The example stack shipped with Slipway.</summary>
    public static string HelloStack => Path.Combine(RepositoryRoot, "stacks", "hello");

    /// <summary>The laconic-so test-shaped stack, in laconic's repository layout.</summary>
    public static string TestStack => Path.Combine(FixtureStacks, "so-root", "stacks", "test");

    public static string TestStackRoot => Path.Combine(FixtureStacks, "so-root");

    /// <summary>A stack whose only image was never built and cannot be pulled.</summary>
    public static string MissingImageStack => Path.Combine(FixtureStacks, "missing-image");

    private static string FixtureStacks => Path.Combine(RepositoryRoot, "tests", "Slipway.IntegrationTests", "Stacks");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Slipway.slnx"))) return dir.FullName;
        }

        throw new InvalidOperationException($"no Slipway.slnx above {AppContext.BaseDirectory}");
    }
}
