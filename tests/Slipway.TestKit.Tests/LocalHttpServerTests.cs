namespace Slipway.TestKit.Tests;

public sealed class LocalHttpServerTests
{
    [Fact]
    public async Task It_answers_the_paths_it_serves_404_for_the_rest_and_records_what_was_asked()
    {
        using var server = new LocalHttpServer();
        server.Serve("/a.txt", "alpha\n");
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });

        var found = await client.GetStringAsync(server.Url + "/a.txt");
        var missing = await client.GetAsync(server.Url + "/b.txt");

        Assert.StartsWith("http://127.0.0.1:", server.Url);
        Assert.Equal("alpha\n", found);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(["/a.txt", "/b.txt"], server.Requests);
    }
}
