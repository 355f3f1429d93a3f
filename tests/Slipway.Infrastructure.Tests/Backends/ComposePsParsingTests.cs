using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Backends.Compose;

namespace Slipway.Infrastructure.Tests.Backends;

public sealed class ComposePsParsingTests
{
    private const string Web = """{"ID":"a1","Name":"shop-web-1","Service":"web","State":"running","Health":"healthy","Publishers":[{"URL":"0.0.0.0","TargetPort":80,"PublishedPort":8080,"Protocol":"tcp"},{"URL":"::","TargetPort":80,"PublishedPort":8080,"Protocol":"tcp"},{"URL":"","TargetPort":443,"PublishedPort":0,"Protocol":"tcp"}]}""";
    private const string Worker = """{"ID":"b2","Name":"shop-worker-1","Service":"worker","State":"exited","Health":"","Publishers":null}""";
    private const string Counter = """{"ID":"c3","Name":"shop-counter-1","Service":"counter","State":"running"}""";

    private static readonly IReadOnlyList<ServiceState> Expected =
    [
        new("counter", "shop-counter-1", "c3", "running", null, []),
        new("web", "shop-web-1", "a1", "running", "healthy",
        [
            new("0.0.0.0", 8080, 80, "tcp"),
            new("::", 8080, 80, "tcp"),
            new("", 0, 443, "tcp"),
        ]),
        new("worker", "shop-worker-1", "b2", "exited", null, []),
    ];

    private static void AssertStates(IReadOnlyList<ServiceState> actual)
    {
        Assert.Equal(Expected.Select(s => s with { Ports = [] }), actual.Select(s => s with { Ports = [] }));
        Assert.Equal(Expected.Select(s => s.Ports), actual.Select(s => s.Ports));
    }

    [Fact]
    public void Newline_delimited_json_objects_are_parsed_and_sorted_by_service()
    {
        AssertStates(ComposeBackend.ParsePs($"{Web}\n{Worker}\n{Counter}\n"));
    }

    [Fact]
    public void A_json_array_from_older_compose_is_parsed_the_same_way()
    {
        AssertStates(ComposeBackend.ParsePs($"[{Web},{Worker},{Counter}]"));
    }

    [Fact]
    public void Blank_lines_between_objects_are_skipped()
    {
        AssertStates(ComposeBackend.ParsePs($"\n{Web}\n\n{Worker}\n{Counter}\n\n"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("[]")]
    public void No_containers_is_an_empty_list(string output)
    {
        Assert.Empty(ComposeBackend.ParsePs(output));
    }

    [Fact]
    public void A_duplicate_publisher_is_listed_once()
    {
        const string line = """{"Service":"web","Name":"w","ID":"1","State":"running","Publishers":[{"URL":"0.0.0.0","TargetPort":80,"PublishedPort":8080,"Protocol":"tcp"},{"URL":"0.0.0.0","TargetPort":80,"PublishedPort":8080,"Protocol":"tcp"}]}""";

        var state = Assert.Single(ComposeBackend.ParsePs(line));

        Assert.Equal([new PublishedPort("0.0.0.0", 8080, 80, "tcp")], state.Ports);
        Assert.Equal("0.0.0.0:8080->80/tcp", state.Ports[0].ToString());
    }

    [Fact]
    public void An_unpublished_port_prints_as_the_container_port_only()
    {
        Assert.Equal("443/tcp", new PublishedPort("", 0, 443, "tcp").ToString());
    }
}
