using Slipway.IntegrationTests.Infrastructure;

namespace Slipway.IntegrationTests;

[Collection(SideBySideCollection.Name)]
public sealed class UpdateTests
{
    [Fact]
    public async Task Create_update_on_a_running_deployment_rewrites_only_changed_files_and_the_next_start_uses_the_new_config()
    {
        await using var ws = new Workspace();
        var spec = await ws.InitAsync(Paths.TestStack, "test-spec.yml", "--config", "CERC_TEST_PARAM_1=first-value", "--map-ports-to-host", "localhost-fixed-random");
        TestStackTests.MakeDataAutoEngineManaged(spec);
        var d = await ws.CreateAsync(spec, "test");
        await d.RunAsync("start");
        var url = await d.UrlAsync("test", 80);
        Assert.Contains("CERC_TEST_PARAM_1=first-value\n", await Http.GetOkAsync(url, "/cgi-bin/env"));
        await d.RunAsync("exec", "test", "sh", "-c", "echo before-update > /data/written");
        var dataBefore = Snapshot(d.File("data"));
        var composeBefore = await File.ReadAllTextAsync(d.File("compose", "docker-compose-test.yml"));

        var text = await File.ReadAllTextAsync(spec);
        Assert.Contains("CERC_TEST_PARAM_1: first-value", text);
        await File.WriteAllTextAsync(spec, text.Replace("CERC_TEST_PARAM_1: first-value", "CERC_TEST_PARAM_1: second-value", StringComparison.Ordinal));
        var update = await SlipwayCommand.RunAsync("deploy", "create", "--spec-file", spec, "--deployment-dir", d.Directory, "--update");

        Assert.Contains("changed config.env", update.StandardError);
        Assert.Contains("CERC_TEST_PARAM_1=second-value", await File.ReadAllTextAsync(d.File("config.env")));
        Assert.Contains("CERC_TEST_PARAM_1=first-value", await File.ReadAllTextAsync(d.File("config.env.bak")));
        Assert.True(File.Exists(d.File("spec.yml.bak")), "the previous spec.yml should be kept as spec.yml.bak");
        Assert.False(File.Exists(d.File("compose", "docker-compose-test.yml.bak")), "an unchanged compose file must not get a .bak");
        Assert.False(File.Exists(d.File("stack.yml.bak")), "an unchanged stack.yml must not get a .bak");
        Assert.False(File.Exists(d.File("config", "test", "script.sh.bak")), "an unchanged config file must not get a .bak");
        Assert.Equal(composeBefore, await File.ReadAllTextAsync(d.File("compose", "docker-compose-test.yml")));
        Assert.Equal(d.DeploymentId, Workspace.ReadDeploymentId(d.Directory));
        Assert.Equal(dataBefore, Snapshot(d.File("data")));

        // The running container still has the old value until the next start, which recreates it.
        Assert.Contains("CERC_TEST_PARAM_1=first-value\n", await Http.GetOkAsync(url, "/cgi-bin/env"));
        await d.RunAsync("start");
        url = await d.UrlAsync("test", 80);
        Assert.Contains("CERC_TEST_PARAM_1=second-value\n", await Http.GetOkAsync(url, "/cgi-bin/env"));
        Assert.Equal("before-update\n", await Http.GetOkAsync(url, "/cgi-bin/show?/data/written"));
    }

    /// <summary>Every file under a folder with its contents, to compare before and after.</summary>
    private static SortedDictionary<string, string> Snapshot(string folder) =>
        new(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllText), StringComparer.Ordinal);
}
