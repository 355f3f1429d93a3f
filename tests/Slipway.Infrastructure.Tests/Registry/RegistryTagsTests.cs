using Slipway.Infrastructure.Registry;

namespace Slipway.Infrastructure.Tests.Registry;

/// <summary>What fetch-containers reads from a registry's manifests: an index's platforms, or a single image's config.</summary>
public sealed class RegistryTagsTests
{
    [Fact]
    public void An_index_lists_its_linux_architectures_and_a_single_image_names_its_config()
    {
        const string Index = """
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
              {"digest":"sha256:a","platform":{"os":"linux","architecture":"amd64"}},
              {"digest":"sha256:b","platform":{"os":"linux","architecture":"arm64","variant":"v8"}},
              {"digest":"sha256:c","platform":{"os":"windows","architecture":"amd64"}},
              {"digest":"sha256:d","platform":{"os":"unknown","architecture":"unknown"}}]}
            """;
        const string Image = """{"schemaVersion":2,"config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:cfg"},"layers":[]}""";

        Assert.Equal(["amd64", "arm64"], RegistryTags.IndexArchitectures(Index));
        Assert.Null(RegistryTags.IndexArchitectures(Image));
        Assert.Equal("sha256:cfg", RegistryTags.ConfigDigest(Image));
        Assert.Equal("arm64", RegistryTags.ConfigArchitecture("""{"architecture":"arm64","os":"linux"}"""));
    }

    [Theory]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("localhost:5000", true)]
    [InlineData("registry.example.org", false)]
    [InlineData("10.0.0.5:5000", false)]
    public void Only_a_loopback_registry_is_asked_over_plain_http(string host, bool loopback) =>
        Assert.Equal(loopback, RegistryTags.IsLoopback(host));
}
