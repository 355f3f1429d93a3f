using Slipway.IntegrationTests.Infrastructure;

namespace Slipway.IntegrationTests.Volumes;

/// <summary>
/// D/overrides/ is part of what runs, so each revision records it: the automatic rollback puts back the good
/// revision's overrides (the broken one set aside, not deleted), instead of rolling back into the same breakage.
/// </summary>
[Collection(SideBySideCollection.Name)]
public sealed class OverrideRevisionTests(DockerFixture fixture)
{
    [Fact]
    public async Task A_broken_override_is_set_aside_by_the_automatic_rollback_which_then_succeeds()
    {
        Assert.Contains("built slipway/hello:local", fixture.HelloBuild.StandardError);
        await using var ws = new Workspace();
        var spec = await ws.InitAsync(VolumeStorageTests.Stack, "spec.yml");
        var d = await ws.CreateAsync(spec, "d");
        var good = d.File("overrides", "local.yml");
        await File.WriteAllTextAsync(good, "services:\n  store:\n    environment:\n      SITE: here\n");
        await d.RunAsync("start");

        // The operator edits the override with a typo compose refuses: apply fails and the run rolls back.
        const string Broken = "services:\n  store:\n    environment:\n      SITE: here\n    helthcheck:\n      test: [\"CMD\", \"true\"]\n";
        await File.WriteAllTextAsync(good, Broken);
        var start = await d.RunAsync(Cli.ExitCodes.RolledBack, "start", "--wait-timeout", "60");
        Assert.Contains("overrides/local.yml", start.AllOutput);

        Assert.Equal("services:\n  store:\n    environment:\n      SITE: here\n", await File.ReadAllTextAsync(good));
        var aside = Directory.GetFiles(d.File(".slipway", "overrides-set-aside"), "local.yml", SearchOption.AllDirectories);
        Assert.Equal(Broken, await File.ReadAllTextAsync(Assert.Single(aside)));
        var store = Assert.Single(await d.StatusAsync());
        Assert.Equal("running", store.State);
        await d.RunAsync("verify");

        // The failed revision recorded the broken override too, so what failed can be looked at.
        var history = await d.RunAsync("history");
        Assert.Contains("failed", history.AllOutput);
        await d.RunAsync("stop");
    }
}
