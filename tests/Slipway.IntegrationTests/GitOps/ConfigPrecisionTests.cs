using Slipway.IntegrationTests.Infrastructure;

namespace Slipway.IntegrationTests.GitOps;

/// <summary>
/// Config-only changes on compose recreate exactly the services that consume them (container IDs compared):
/// the hello stack's web interpolates GREETING and binds config/hello/motd.txt; counter uses neither.
/// </summary>
[Collection(SideBySideCollection.Name)]
public sealed class ConfigPrecisionTests
{
    [Fact]
    public async Task Config_and_bound_file_changes_recreate_only_their_consumers_and_no_change_recreates_nothing()
    {
        await using var ws = new Workspace();
        var stack = HelloCopy.Write(ws.Combine("hello"));
        var spec = ws.Combine("spec.yml");
        await File.WriteAllTextAsync(spec, HelloCopy.Spec(stack, "first greeting"));
        var d = await ws.CreateAsync(spec, "d");
        await d.RunAsync("start");
        var first = await HelloCopy.ContainersAsync(d.DeploymentId);
        Assert.Equal(["counter", "web"], first.Keys.Order());
        Assert.Contains("first greeting", await Http.GetOkAsync(await d.UrlAsync("web", 80), "/"));

        // Nothing changed: neither an update nor a start touches a container.
        var update = await Update(spec, d);
        Assert.Contains(": 0 changed, 0 added", update.StandardError);
        await d.RunAsync("start");
        Assert.Equal(first, await HelloCopy.ContainersAsync(d.DeploymentId));

        // A config key only web interpolates: web is recreated, counter keeps its container.
        await File.WriteAllTextAsync(spec, HelloCopy.Spec(stack, "second greeting"));
        await Update(spec, d);
        await d.RunAsync("start");
        var second = await HelloCopy.ContainersAsync(d.DeploymentId);
        Assert.NotEqual(first["web"], second["web"]);
        Assert.Equal(first["counter"], second["counter"]);
        var url = await d.UrlAsync("web", 80);
        Assert.Contains("second greeting", await Http.GetOkAsync(url, "/"));

        // A config key no service uses: config.env changes, no container does.
        await File.WriteAllTextAsync(spec, HelloCopy.Spec(stack, "second greeting", "UNUSED_BY_ANY_SERVICE: x"));
        update = await Update(spec, d);
        Assert.Contains("changed config.env", update.StandardError);
        await d.RunAsync("start");
        Assert.Equal(second, await HelloCopy.ContainersAsync(d.DeploymentId));

        // A bound config file's content (invisible to compose itself): only web, which binds it, is recreated.
        await File.WriteAllTextAsync(Path.Combine(stack, "config", "hello", "motd.txt"), "motd edited in the stack\n");
        update = await Update(spec, d);
        Assert.Contains("changed config/hello/motd.txt", update.StandardError);
        await d.RunAsync("start");
        var third = await HelloCopy.ContainersAsync(d.DeploymentId);
        Assert.NotEqual(second["web"], third["web"]);
        Assert.Equal(second["counter"], third["counter"]);
        url = await d.UrlAsync("web", 80);
        Assert.Equal("motd edited in the stack\n", await Http.GetOkAsync(url, "/motd.txt"));
        Assert.Contains("counter starts: <span id=\"starts\">1</span>", await Http.GetOkAsync(url, "/"));
    }

    private static Task<CliResult> Update(string spec, TestDeployment d) =>
        SlipwayCommand.RunAsync("deploy", "create", "--spec-file", spec, "--deployment-dir", d.Directory, "--update");
}
