using System.Runtime.Versioning;
using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.GitOps;
using Slipway.Infrastructure.Operations;
using Slipway.Infrastructure.Tests.Support;

namespace Slipway.Infrastructure.Tests.GitOps;

[UnsupportedOSPlatform("windows")]
public sealed class SourceSyncTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();
    private readonly FakeProcessRunner _runner = new() { Strict = true };

    public void Dispose() => _workspace.Dispose();

    private string D => _workspace.Combine("deployment");

    private SlipwayEnvironment Env => SampleStack.Environment(_workspace, _runner);

    private async Task<DeploymentSession> CreateAsync()
    {
        SampleStack.Write(_workspace);
        await new DeployCreate(Env).RunAsync(new CreateRequest { SpecFile = "spec.yml", DeploymentDirectory = "deployment" }, CancellationToken.None);
        return DeploymentSession.Open(D);
    }

    private Task<SyncResult> SyncAsync(DeploymentSession deployment, params string[] images) =>
        new SourceSync(Env).SyncAsync(deployment, images.ToDictionary(i => i[..i.IndexOf('=')], i => i[(i.IndexOf('=') + 1)..]), CancellationToken.None);

    [Fact]
    public async Task Sync_re_renders_D_from_the_spec_source_like_deploy_create_update()
    {
        var deployment = await CreateAsync();
        var spec = _workspace.Combine("spec.yml");
        File.WriteAllText(spec, File.ReadAllText(spec).Replace("GREETING: hello", "GREETING: changed in git", StringComparison.Ordinal));

        var result = await SyncAsync(deployment);

        Assert.True(result.Changed);
        Assert.Equal(spec, result.SpecFile);
        Assert.Contains("GREETING='changed in git'", File.ReadAllText(Path.Combine(D, "config.env")));
        Assert.Contains("GREETING=hello", File.ReadAllText(Path.Combine(D, "config.env.bak")));
        Assert.Equal(File.ReadAllText(spec), File.ReadAllText(Path.Combine(D, "spec.yml")));
        var synced = DeploymentSession.Open(D);
        Assert.Equal(deployment.Identity, synced.Identity);
        Assert.Contains(synced.Config, e => e.Key == "GREETING" && e.Value == "changed in git");
        Assert.Equal(["spec.yml", "config.env"], result.Create.Update!.Changed);
    }

    [Fact]
    public async Task Sync_without_changes_writes_nothing_and_keeps_generated_secrets()
    {
        var deployment = await CreateAsync();
        var configBefore = File.ReadAllText(Path.Combine(D, "config.env"));

        var result = await SyncAsync(deployment);

        Assert.False(result.Changed);
        Assert.Empty(result.Create.Update!.BackedUp);
        Assert.Equal(configBefore, File.ReadAllText(Path.Combine(D, "config.env")));
    }

    [Fact]
    public async Task Without_a_spec_source_there_is_nothing_to_sync_from()
    {
        var deployment = await CreateAsync();
        var identity = deployment.Identity with { SpecSource = null };
        File.WriteAllText(Path.Combine(D, "deployment.yml"), identity.Render());

        var error = await Assert.ThrowsAsync<SlipwayException>(() => SyncAsync(DeploymentSession.Open(D)));

        Assert.Equal(FailureReason.NotFound, error.Reason);
        Assert.Contains("has no spec-source", error.Message);
        Assert.False(File.Exists(Path.Combine(D, "spec.yml.bak")));
    }

    [Fact]
    public async Task A_spec_source_that_is_gone_is_named()
    {
        var deployment = await CreateAsync();
        File.Move(_workspace.Combine("spec.yml"), _workspace.Combine("elsewhere.yml"));

        var error = await Assert.ThrowsAsync<SlipwayException>(() => SyncAsync(deployment));

        Assert.Equal(FailureReason.NotFound, error.Reason);
        Assert.Contains($"the git-tracked spec {_workspace.Combine("spec.yml")} (spec-source in", error.Message);
    }

    [Fact]
    public async Task Image_overrides_are_returned_per_service_with_the_image_they_replace_and_D_keeps_the_stack_image()
    {
        var deployment = await CreateAsync();

        var result = await SyncAsync(deployment, "web=shop/web:3f2a9c1d7e4b");

        var applied = Assert.Single(result.ImageOverrides);
        Assert.Equal(new AppliedImageOverride("web", "compose/docker-compose-web.yml", "shop/web:local", "shop/web:3f2a9c1d7e4b"), applied);
        Assert.Contains("image: shop/web:local", File.ReadAllText(Path.Combine(D, "compose", "docker-compose-web.yml")));
    }

    [Fact]
    public async Task An_override_pins_its_stack_image_and_warns_about_other_services_running_it()
    {
        var deployment = await CreateAsync();

        var one = await SyncAsync(deployment, "web=shop/web:v2");
        var both = await SyncAsync(deployment, "web=shop/web:v2", "worker=shop/web:v2");

        Assert.Equal(new Dictionary<string, string> { ["shop/web:local"] = "shop/web:v2" }, one.ImagePins());
        Assert.Equal(["--image web=shop/web:v2: worker uses the same image shop/web:local and gets shop/web:v2 too"], one.SharedImageWarnings());
        Assert.Equal(new Dictionary<string, string> { ["shop/web:local"] = "shop/web:v2" }, both.ImagePins());
        Assert.Empty(both.SharedImageWarnings());
    }

    [Fact]
    public async Task Per_service_an_override_pins_only_its_service_and_says_who_shares_the_image()
    {
        var deployment = await CreateAsync();

        var one = await SyncAsync(deployment, "web=shop/web:v2");
        var different = await SyncAsync(deployment, "web=shop/web:a", "worker=shop/web:b");

        Assert.Equal(new Dictionary<string, string> { ["@web"] = "shop/web:v2" }, one.ImagePins(perService: true));
        Assert.Equal(["--image web=shop/web:v2 pins web only: worker shares its image shop/web:local and keeps its own (give --image worker=shop/web:v2 to move it too)"],
            one.SharedImageWarnings(perService: true));
        Assert.Equal(new Dictionary<string, string> { ["@web"] = "shop/web:a", ["@worker"] = "shop/web:b" }, different.ImagePins(perService: true));
        Assert.Empty(different.SharedImageWarnings(perService: true));
    }

    [Fact]
    public async Task Different_overrides_for_services_sharing_an_image_cannot_be_pins()
    {
        var deployment = await CreateAsync();

        var result = await SyncAsync(deployment, "web=shop/web:a", "worker=shop/web:b");

        var error = Assert.Throws<SlipwayException>(() => result.ImagePins());
        Assert.Contains("web=shop/web:a, worker=shop/web:b, but these services run the same image shop/web:local", error.Message);
    }

    [Fact]
    public async Task An_override_for_an_unknown_service_is_refused_with_a_suggestion_before_D_changes()
    {
        var deployment = await CreateAsync();
        var spec = _workspace.Combine("spec.yml");
        File.WriteAllText(spec, File.ReadAllText(spec).Replace("GREETING: hello", "GREETING: changed", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<SlipwayException>(() => SyncAsync(deployment, "wbe=x:1"));

        Assert.Equal(FailureReason.InvalidInput, error.Reason);
        Assert.Equal("--image names service 'wbe', which no pod of the deployment runs", error.Message);
        Assert.Equal("did you mean 'web'?", error.Hint);
        Assert.False(File.Exists(Path.Combine(D, "config.env.bak")));
        Assert.Contains("GREETING=hello", File.ReadAllText(Path.Combine(D, "config.env")));
    }

    [Fact]
    public async Task A_service_the_new_spec_revision_adds_can_be_overridden_in_the_same_run()
    {
        var deployment = await CreateAsync();
        _workspace.WriteFile("stack/compose/docker-compose-worker.yml", SampleStack.WorkerCompose + "\n  cron:\n    image: shop/cron:local\n");

        var result = await SyncAsync(deployment, "cron=shop/cron:v2");

        Assert.Equal("shop/cron:local", Assert.Single(result.ImageOverrides).StackImage);
        Assert.Equal(["changed compose/docker-compose-worker.yml (previous kept as compose/docker-compose-worker.yml.bak)"], result.Changes);
    }
}
