using Slipway.IntegrationTests.Infrastructure;

namespace Slipway.IntegrationTests.StackMode;

/// <summary>deployment update-envs on the real Docker Engine: a config change restarts only the services that consume it.</summary>
[Collection(SideBySideCollection.Name)]
public sealed class UpdateEnvsTests
{
    [Fact]
    public async Task Update_envs_recreates_the_service_whose_config_changed_and_leaves_the_other_running()
    {
        await using var ws = new Workspace();
        var spec = await ws.InitAsync(Paths.HelloStack, "hello-spec.yml", "--config", "GREETING=first-greeting");
        var d = await ws.CreateAsync(spec, "hello");
        await d.RunAsync("start");
        var before = (await d.StatusAsync("ps")).ToDictionary(s => s.Service, s => s.Id);

        var nothing = await d.RunAsync("update-envs");
        Assert.Contains("config unchanged", nothing.StandardError);

        var text = await File.ReadAllTextAsync(spec);
        await File.WriteAllTextAsync(spec, text.Replace("GREETING: first-greeting", "GREETING: second-greeting", StringComparison.Ordinal));
        await SlipwayCommand.RunAsync("deploy", "create", "--spec-file", spec, "--deployment-dir", d.Directory, "--update");
        var update = await d.RunAsync("update-envs");

        var after = (await d.StatusAsync("ps")).ToDictionary(s => s.Service, s => s.Id);
        Assert.NotEqual(before["web"], after["web"]);
        Assert.Equal(before["counter"], after["counter"]);
        Assert.Contains("web", update.StandardError);
        Assert.Contains("second-greeting", await Http.GetOkAsync(await d.UrlAsync("web", 80), "/"));
    }

    [Fact]
    public async Task Prepare_on_compose_says_it_is_for_kubernetes()
    {
        await using var ws = new Workspace();
        var spec = await ws.InitAsync(Paths.HelloStack, "hello-spec.yml");
        var d = await ws.CreateAsync(spec, "hello");

        var result = await d.RunUncheckedAsync("prepare");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("prepare is for Kubernetes deployments", result.StandardError);
    }
}
