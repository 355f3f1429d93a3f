using Slipway.IntegrationTests.Infrastructure;

namespace Slipway.IntegrationTests;

/// <summary>The laconic-so test stack's checks (env defaults, bound config, volumes), against a stack in laconic's repository layout.</summary>
[Collection(SideBySideCollection.Name)]
public sealed class TestStackTests(DockerFixture fixture)
{
    [Fact]
    public async Task Laconic_test_stack_gets_env_defaults_config_files_and_volumes_that_persist_as_specified()
    {
        Assert.Contains("built cerc/test-container:local", fixture.TestStackBuild.StandardError);
        await using var ws = new Workspace();
        var spec = await ws.InitAsync(Paths.TestStack, "test-spec.yml", "--config", "CERC_TEST_PARAM_1=PASSED", "--map-ports-to-host", "localhost-fixed-random");
        MakeDataAutoEngineManaged(spec);

        var d = await ws.CreateAsync(spec, "test");

        // The create hook ran in D and its output was shown.
        Assert.Contains($"test stack create hook: wrote create-hook-ran.txt for {d.DeploymentId}", d.CreateResult.AllOutput);
        Assert.Equal($"stage=create id={d.DeploymentId}\n", await File.ReadAllTextAsync(d.File("create-hook-ran.txt")));

        await d.RunAsync("start");
        var url = await d.UrlAsync("test", 80);

        var env = await Http.GetOkAsync(url, "/cgi-bin/env");
        Assert.Contains("CERC_TEST_PARAM_1=PASSED\n", env);
        Assert.Contains("CERC_TEST_PARAM_2=CERC_TEST_PARAM_2_VALUE\n", env);
        Assert.Contains("CERC_TEST_PARAM_3=FAILED\n", env);

        // Bound config files are the stack's; the read-only config volume was seeded from config/test-config.
        Assert.Equal(await StackFile("config", "test", "script.sh"), await Http.GetOkAsync(url, "/cgi-bin/show?/opt/run.sh"));
        Assert.Equal(await StackFile("config", "test", "settings.env"), await Http.GetOkAsync(url, "/cgi-bin/show?/opt/settings.env"));
        Assert.Equal(await StackFile("config", "test-config", "test_config"), await Http.GetOkAsync(url, "/cgi-bin/show?/config/test_config"));
        var write = await d.RunUncheckedAsync("exec", "test", "sh", "-c", "echo nope > /config/probe");
        Assert.True(write.ExitCode != 0, $"writing into the read-only /config should fail:\n{write}");
        Assert.False(File.Exists(d.File("data", "test-config", "probe")));

        // Data in the bind-backed /data and the engine-managed /data2 survives stop/start.
        await d.RunAsync("exec", "test", "sh", "-c", "echo kept-bind > /data/written && echo kept-auto > /data2/written");
        var firstMarker = await Http.GetOkAsync(url, "/cgi-bin/show?/data2/exists");
        await d.RunAsync("stop");
        await d.RunAsync("start");
        url = await d.UrlAsync("test", 80);
        Assert.Equal("kept-bind\n", await Http.GetOkAsync(url, "/cgi-bin/show?/data/written"));
        Assert.Equal("kept-auto\n", await Http.GetOkAsync(url, "/cgi-bin/show?/data2/written"));
        Assert.Equal(firstMarker, await Http.GetOkAsync(url, "/cgi-bin/show?/data2/exists"));

        // stop --delete-volumes removes the Docker volumes (and says so) but keeps the host-path data (and says so).
        var stop = await d.RunAsync("stop", "--delete-volumes");
        Assert.Contains("removed Docker volumes:", stop.StandardError);
        Assert.Contains($"{d.DeploymentId}_test-data-auto", stop.StandardError);
        Assert.Contains($"kept host-path data: {d.File("data", "test-data-bind")}", stop.StandardError);
        Assert.Empty(await Docker.VolumesAsync(d.DeploymentId));
        Assert.Equal("kept-bind\n", await File.ReadAllTextAsync(d.File("data", "test-data-bind", "written")));

        await d.RunAsync("start");
        url = await d.UrlAsync("test", 80);
        Assert.Equal("exists\n", await Http.GetOkAsync(url, "/cgi-bin/show?/data2"));            // fresh: only the new marker
        Assert.NotEqual(firstMarker, await Http.GetOkAsync(url, "/cgi-bin/show?/data2/exists")); // written by the new container
        Assert.Equal("kept-bind\n", await Http.GetOkAsync(url, "/cgi-bin/show?/data/written"));
        Assert.Equal(await StackFile("config", "test-config", "test_config"), await Http.GetOkAsync(url, "/cgi-bin/show?/config/test_config"));
    }

    /// <summary>laconic's test spec for compose: test-data-auto is engine-managed, the others are host paths under D.</summary>
    internal static void MakeDataAutoEngineManaged(string spec)
    {
        var text = File.ReadAllText(spec);
        const string Generated = "  test-data-auto: \"./data/test-data-auto\"\n";
        Assert.True(text.Contains(Generated, StringComparison.Ordinal), $"deploy init's spec has no '{Generated.Trim()}':\n{text}");
        Assert.Contains("  test-data-bind: \"./data/test-data-bind\"\n", text);
        Assert.Contains("  test-config: \"./data/test-config\"\n", text);
        File.WriteAllText(spec, text.Replace(Generated, "  test-data-auto:\n", StringComparison.Ordinal));
    }

    private static Task<string> StackFile(params string[] parts) => File.ReadAllTextAsync(Path.Combine([Paths.TestStackRoot, .. parts]));
}
