using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Slipway.IntegrationTests.Infrastructure;

/// <summary>Which collection a class lands in (docs/testing.md): the safe default, side by side only where asked.</summary>
[Collection(SideBySideCollection.Name)]
public sealed class CollectionsTests
{
    private static readonly SlipwayTestCollectionFactory Factory = new(
        new TestAssembly(Reflector.Wrap(typeof(CollectionsTests).Assembly)), new NullMessageSink());

    private static ITestCollection Of(Type type) => Factory.Get(Reflector.Wrap(type));

    [Fact]
    public void A_class_that_names_no_collection_runs_alone_with_the_heavy_ones()
    {
        var collection = Of(typeof(Unmarked));

        Assert.Equal(DockerCollection.Name, collection.DisplayName);
        Assert.Same(Of(typeof(VerifyTests)), collection);
        Assert.True(IsRunAlone(collection));
    }

    [Fact]
    public void Each_side_by_side_class_has_a_collection_of_its_own_and_named_groups_are_shared()
    {
        var hello = Of(typeof(HelloLifecycleTests));
        var sideBySide = Of(typeof(SideBySideTests));

        Assert.NotSame(hello, sideBySide);
        Assert.Equal($"{SideBySideCollection.Name}: {typeof(HelloLifecycleTests).FullName}", hello.DisplayName);
        Assert.Same(Of(typeof(HelloLifecycleTests)), hello);
        Assert.False(IsRunAlone(hello));
        Assert.Same(Of(typeof(Registry.RegistryPushTests)), Of(typeof(Registry.PushImagesTests)));
        Assert.Same(Of(typeof(Repositories.SetupRepositoriesTests)), Of(typeof(Build.BuildContractTests)));
        Assert.All(new[] { hello, Of(typeof(Registry.PushImagesTests)), Of(typeof(Build.BuildContractTests)) },
            c => Assert.Contains(typeof(ICollectionFixture<DockerFixture>), ((IReflectionTypeInfo)c.CollectionDefinition!).Type.GetInterfaces()));
    }

    [Fact]
    public void The_collections_started_first_exist_and_start_before_the_rest()
    {
        var all = typeof(CollectionsTests).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttributes<FactAttribute>().Any()))
            .Select(Of).Distinct().ToList();

        var ordered = new LongestFirstOrderer().OrderTestCollections(all).Select(c => c.DisplayName).ToList();

        Assert.Equal(all.Count, ordered.Count);
        Assert.Equal(
            [$"{SideBySideCollection.Name}: {typeof(Fleet.FleetTests).FullName}", $"{SideBySideCollection.Name}: {typeof(Swarm.SwarmLifecycleTests).FullName}",
                ProcessEnvironmentCollection.Name, $"{SideBySideCollection.Name}: {typeof(Pipeline.PipelineTests).FullName}"],
            ordered.Take(4));
    }

    private static bool IsRunAlone(ITestCollection collection) =>
        collection.CollectionDefinition?.GetCustomAttributes(typeof(CollectionDefinitionAttribute)).Single()
            .GetNamedArgument<bool>(nameof(CollectionDefinitionAttribute.DisableParallelization)) == true;

    private sealed class Unmarked
    {
    }
}
