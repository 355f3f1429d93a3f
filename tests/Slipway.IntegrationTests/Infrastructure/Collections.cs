using System.Collections.Concurrent;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: CollectionBehavior("Slipway.IntegrationTests.Infrastructure.SlipwayTestCollectionFactory", "Slipway.IntegrationTests")]
[assembly: TestCollectionOrderer("Slipway.IntegrationTests.Infrastructure.LongestFirstOrderer", "Slipway.IntegrationTests")]

namespace Slipway.IntegrationTests.Infrastructure;

/// <summary>
/// The default, and the place for anything heavy or process-wide: a class here (or naming no collection at all) runs
/// alone, after every side-by-side test, one test at a time. docs/testing.md says which collection a class belongs in.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DockerCollection : ICollectionFixture<DockerFixture>
{
    public const string Name = "docker";
}

/// <summary>
/// For a class that shares nothing with any other: its own compose projects, workspace, images and ports, no process-wide
/// state. Each class naming this collection gets a collection of its own (see <see cref="SlipwayTestCollectionFactory"/>)
/// and runs beside the others, up to maxParallelThreads (xunit.runner.json) at once; its own tests still run one by one.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SideBySideCollection : ICollectionFixture<DockerFixture>
{
    public const string Name = "docker-side-by-side";
}

/// <summary>
/// Tests that log in to a local registry with the default docker client configuration (~/.docker/config.json): docker
/// login and logout rewrite that one file, so two at once can drop each other's login. One at a time, beside the rest.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RegistryLoginCollection : ICollectionFixture<DockerFixture>
{
    public const string Name = "registry-login";
}

/// <summary>
/// Tests that set process-wide environment variables other tests of theirs read (GIT_CONFIG_GLOBAL, GIT_CONFIG_NOSYSTEM,
/// CERC_REPO_BASE_DIR: LocalGitHosts and the dev-root tests), each saving and restoring the previous value. One at a
/// time, so no restore undoes another's setting; beside the rest, which neither set nor depend on these variables.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ProcessEnvironmentCollection : ICollectionFixture<DockerFixture>
{
    public const string Name = "process-environment";
}

/// <summary>
/// xunit's collection-per-class factory with two changes: a class that names no collection is in
/// <see cref="DockerCollection"/> (the safe default, not a collection of its own that would run beside everything),
/// and each class naming <see cref="SideBySideCollection"/> gets a collection of its own.
/// </summary>
public sealed class SlipwayTestCollectionFactory : IXunitTestCollectionFactory
{
    private readonly ITestAssembly _assembly;
    private readonly Dictionary<string, ITypeInfo> _definitions;
    private readonly ConcurrentDictionary<string, ITestCollection> _collections = new(StringComparer.Ordinal);

    public SlipwayTestCollectionFactory(ITestAssembly testAssembly, IMessageSink diagnosticMessageSink)
    {
        _assembly = testAssembly;
        _definitions = TestCollectionFactoryHelper.GetTestCollectionDefinitions(testAssembly.Assembly, diagnosticMessageSink);
    }

    public string DisplayName => "Slipway: collection per class where side by side, else by name (default docker)";

    public ITestCollection Get(ITypeInfo testClass)
    {
        var attribute = testClass.GetCustomAttributes(typeof(CollectionAttribute)).SingleOrDefault();
        var name = attribute?.GetConstructorArguments().FirstOrDefault() as string ?? DockerCollection.Name;
        var key = name == SideBySideCollection.Name ? Own(testClass.Name) : name;
        return _collections.GetOrAdd(key, k => new TestCollection(_assembly, _definitions.GetValueOrDefault(name), k));
    }

    /// <summary>The name of the collection of its own a side-by-side class gets.</summary>
    public static string Own(string? fullClassName) => $"{SideBySideCollection.Name}: {fullClassName}";
}

/// <summary>
/// Starts the collections that take longest first, so that no long one starts last and runs on alone while the others
/// are done (side-by-side collections start in this order as a place frees up). The list is measured (docs/testing.md):
/// put a collection here when it takes well over a minute; the rest follow in name order.
/// </summary>
public sealed class LongestFirstOrderer : ITestCollectionOrderer
{
    private static readonly string[] Longest =
    [
        SlipwayTestCollectionFactory.Own(typeof(Fleet.FleetTests).FullName),
        SlipwayTestCollectionFactory.Own(typeof(Swarm.SwarmLifecycleTests).FullName),
        ProcessEnvironmentCollection.Name,
        SlipwayTestCollectionFactory.Own(typeof(Pipeline.PipelineTests).FullName),
    ];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections
            .OrderBy(c => Array.IndexOf(Longest, c.DisplayName) is var i and >= 0 ? i : Longest.Length)
            .ThenBy(c => c.DisplayName, StringComparer.Ordinal);
}
