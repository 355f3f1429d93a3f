using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Backends.Compose;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.GitOps;
using Slipway.Infrastructure.Processes;
using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;
using Xunit.Abstractions;
using ToolsDocker = Slipway.Infrastructure.Tools.Docker;

namespace Slipway.IntegrationTests.GitOps;

/// <summary>
/// GitOps restart (laconic-so's restart workflow) from a local bare repository holding the spec and the stack: commit a change,
/// pull + sync D (deploy create --update) + apply, see it applied. Driven through GitSync, SourceSync and
/// ComposeBackend directly; the CLI verb comes with the pipeline. Alone, not side by side: its apply passes no image
/// pins, so it runs slipway/hello:local as that tag is at the moment, and every side-by-side test whose start builds
/// the stack retags it (to an image of the same content but another id when the builds miss each other's cache),
/// which made compose recreate every service of an idle restart.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class GitOpsRestartTests(ITestOutputHelper output)
{
    private static readonly SystemProcessRunner Runner = new();

    private static async Task<(GitTestRepository Author, GitTestRepository Checkout, TestDeployment D)> DeployFromGitAsync(Workspace ws)
    {
        var files = new Dictionary<string, string>();
        var stack = HelloCopy.Write(ws.Combine("hello-source"));
        // container-build/ stays out: the fixture built slipway/hello:local, and a stack without a build folder for an
        // image runs it as the compose files name it (git would also need the scripts' executable bit).
        foreach (var file in Directory.EnumerateFiles(stack, "*", SearchOption.AllDirectories)
                     .Where(f => !Path.GetRelativePath(stack, f).StartsWith("container-build", StringComparison.Ordinal)))
        {
            files["stacks/hello/" + Path.GetRelativePath(stack, file)] = await File.ReadAllTextAsync(file);
        }

        // The spec names the stack relative to itself, as an operator repository would.
        files["deployments/hello/spec.yml"] = HelloCopy.Spec("../../stacks/hello", "greeting from git v1");
        var author = await GitTestRepository.CreateAuthorAsync(ws.Path, "ops", files);
        var checkout = await GitTestRepository.CloneAsync(await author.RemoteAsync(), ws.Combine("ops-checkout"));
        var d = await ws.CreateAsync(checkout.Combine("deployments", "hello", "spec.yml"), "d");
        await d.RunAsync("start");
        return (author, checkout, d);
    }

    /// <summary>What restart's prepare and apply stages do: pull, sync D from the git-tracked spec, apply (no force-recreate).</summary>
    private static async Task<(GitPullReport Pull, SyncResult Sync)> RestartAsync(Workspace ws, TestDeployment d)
    {
        var env = TestEnvironment.Create(ws.Path, Runner);
        var prepared = await new GitOpsSourceSync(env).RunAsync(DeploymentSession.Open(d.Directory), Runner, new Dictionary<string, string>(), CancellationToken.None);
        await new ComposeBackend(DeploymentSession.Open(d.Directory), new ToolsDocker(Runner)).ApplyAsync(new ApplyOptions { WaitTimeout = TimeSpan.FromMinutes(2) }, CancellationToken.None);
        return (prepared.Pull, prepared.Sync);
    }

    [Fact]
    public async Task A_committed_spec_change_is_pulled_synced_and_applied_recreating_only_its_consumer()
    {
        await using var ws = new Workspace();
        var (author, checkout, d) = await DeployFromGitAsync(ws);
        var before = await HelloCopy.ContainersAsync(d.DeploymentId);
        Assert.Contains("greeting from git v1", await Http.GetOkAsync(await d.UrlAsync("web", 80), "/"));

        author.Write("deployments/hello/spec.yml", HelloCopy.Spec("../../stacks/hello", "greeting from git v2"));
        author.Write("stacks/hello/config/hello/motd.txt", "motd v2 from git\n");
        var pushed = await author.CommitAndPushAsync("greeting v2, motd v2");
        var (pull, sync) = await RestartAsync(ws, d);

        var repo = Assert.Single(pull.Repositories);
        Assert.Equal(GitPullOutcome.Updated, repo.Outcome);
        Assert.Equal(["stack", "spec"], repo.Roles);
        Assert.Equal(pushed, repo.After);
        Assert.True(sync.Changed);
        Assert.Contains("config.env", sync.Create.Update!.Changed);
        Assert.Contains("config/hello/motd.txt", sync.Create.Update.Changed);
        Assert.Equal(d.DeploymentId, Workspace.ReadDeploymentId(d.Directory));
        var url = await d.UrlAsync("web", 80);
        Assert.Contains("greeting from git v2", await Http.GetOkAsync(url, "/"));
        Assert.Equal("motd v2 from git\n", await Http.GetOkAsync(url, "/motd.txt"));
        var after = await HelloCopy.ContainersAsync(d.DeploymentId);
        Assert.NotEqual(before["web"], after["web"]);
        Assert.Equal(before["counter"], after["counter"]);

        // A restart with nothing new pulls nothing, writes nothing and recreates nothing.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (idlePull, idleSync) = await RestartAsync(ws, d);
        output.WriteLine($"idle restart (pull + sync + compose up --wait): {watch.ElapsedMilliseconds} ms");
        Assert.False(idlePull.Changed);
        Assert.False(idleSync.Changed);
        Assert.Empty(idleSync.Changes);
        Assert.Equal(after, await HelloCopy.ContainersAsync(d.DeploymentId));
        watch.Restart();
        await new GitOpsSourceSync(TestEnvironment.Create(ws.Path, Runner)).RunAsync(DeploymentSession.Open(d.Directory), Runner, new Dictionary<string, string>(), CancellationToken.None);
        output.WriteLine($"idle prepare (pull + sync): {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task A_pull_that_fails_stops_before_the_deployment_directory_or_containers_change()
    {
        await using var ws = new Workspace();
        var (author, checkout, d) = await DeployFromGitAsync(ws);
        var before = await HelloCopy.ContainersAsync(d.DeploymentId);
        var specBefore = await File.ReadAllTextAsync(d.File("spec.yml"));
        author.Write("deployments/hello/spec.yml", HelloCopy.Spec("../../stacks/hello", "never applied"));
        await author.CommitAndPushAsync("change that cannot be pulled");
        checkout.Write("deployments/hello/spec.yml", HelloCopy.Spec("../../stacks/hello", "edited by hand on the host"));

        var error = await Assert.ThrowsAsync<SlipwayException>(() => RestartAsync(ws, d));

        Assert.Contains("would overwrite local changes to deployments/hello/spec.yml", error.Message);
        Assert.Equal(specBefore, await File.ReadAllTextAsync(d.File("spec.yml")));
        Assert.False(File.Exists(d.File("spec.yml.bak")));
        Assert.Equal(before, await HelloCopy.ContainersAsync(d.DeploymentId));
        Assert.Contains("greeting from git v1", await Http.GetOkAsync(await d.UrlAsync("web", 80), "/"));
    }

    [Fact]
    public async Task The_restart_command_pulls_the_committed_spec_rolls_it_out_and_records_a_revision_and_a_failed_pull_changes_nothing()
    {
        await using var ws = new Workspace();
        var (author, checkout, d) = await DeployFromGitAsync(ws);
        var before = await HelloCopy.ContainersAsync(d.DeploymentId);

        author.Write("deployments/hello/spec.yml", HelloCopy.Spec("../../stacks/hello", "greeting from the restart command"));
        var pushed = await author.CommitAndPushAsync("greeting v3");

        // plan --fetch sees the incoming commit and what it changes, and moves nothing.
        var checkedOut = await checkout.HeadAsync();
        var plan = await d.RunAsync("plan", "--fetch");
        Assert.Contains("1 commit on origin/", plan.StandardError);
        Assert.Contains($"commit {pushed[..7]} greeting v3", plan.StandardError);
        Assert.Contains("deployments/hello/spec.yml: the spec: restart re-renders D from it", plan.StandardError);
        Assert.DoesNotContain("not read by this deployment", plan.StandardError);
        using (var planJson = System.Text.Json.JsonDocument.Parse((await d.RunAsync("plan", "--fetch", "--output", "json")).StandardOutput))
        {
            var incoming = Assert.Single(planJson.RootElement.GetProperty("incoming").EnumerateArray().ToList());
            Assert.Equal(["stack", "spec"], incoming.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!));
            Assert.Single(incoming.GetProperty("commits").EnumerateArray());
            Assert.Equal(["deployments/hello/spec.yml"], incoming.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()!));
        }

        Assert.Equal(checkedOut, await checkout.HeadAsync());
        Assert.DoesNotContain("incoming", (await d.RunAsync("plan")).StandardError);
        var restart = await d.RunAsync("restart", "--output", "json");

        // The run says what the pull did, which files of D changed, and which services were recreated.
        Assert.Matches(@"git: stack\+spec \S+: \S+ fast-forwarded [0-9a-f]{12} -> [0-9a-f]{12} from ", restart.StandardError);
        Assert.Contains("D: changed config.env (previous kept as config.env.bak)", restart.StandardError);
        Assert.Contains("D: changed spec.yml (previous kept as spec.yml.bak)", restart.StandardError);
        Assert.Contains("synced D: 2 files of D changed", restart.StandardError);
        Assert.Contains("recreated web (config key GREETING)", restart.StandardError);
        Assert.DoesNotContain("recreated counter", restart.StandardError);
        using (var run = System.Text.Json.JsonDocument.Parse(restart.StandardOutput))
        {
            var pull = Assert.Single(run.RootElement.GetProperty("pulls").EnumerateArray().ToList());
            Assert.Equal("updated", pull.GetProperty("outcome").GetString());
            Assert.Equal(pushed, pull.GetProperty("after").GetString());
            Assert.Equal(["config.env", "spec.yml"], run.RootElement.GetProperty("changedFiles").EnumerateArray().Select(f => f.GetProperty("path").GetString()!).Order());
            var service = Assert.Single(run.RootElement.GetProperty("services").EnumerateArray().ToList());
            Assert.Equal("web", service.GetProperty("service").GetString());
            Assert.Equal(["config key GREETING"], service.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!));
        }

        Assert.Contains("greeting from the restart command", await Http.GetOkAsync(await d.UrlAsync("web", 80), "/"));
        var after = await HelloCopy.ContainersAsync(d.DeploymentId);
        Assert.NotEqual(before["web"], after["web"]);
        Assert.Equal(before["counter"], after["counter"]);
        var history = await d.RunAsync("history", "--output", "json");
        using (var json = System.Text.Json.JsonDocument.Parse(history.StandardOutput))
        {
            Assert.Equal(["start", "restart"], json.RootElement.EnumerateArray().Select(r => r.GetProperty("command").GetString()!));
            // Each revision names the commits it came from: the stack's and the spec's repository (one here), clean.
            var sources = json.RootElement[1].GetProperty("sources").EnumerateArray().ToList();
            Assert.Equal(["stack", "spec"], sources.Select(s => s.GetProperty("role").GetString()!));
            Assert.All(sources, s => Assert.Equal(pushed, s.GetProperty("commit").GetString()));
            Assert.All(sources, s => Assert.False(s.GetProperty("dirty").GetBoolean()));
            Assert.NotEqual(pushed, json.RootElement[0].GetProperty("sources")[0].GetProperty("commit").GetString());
        }

        Assert.Contains($"stack+spec {pushed[..12]}", (await d.RunAsync("history")).StandardOutput);

        // A pull git refuses (a local edit it would overwrite) stops the run in prepare: no file of D, no container changes.
        author.Write("deployments/hello/spec.yml", HelloCopy.Spec("../../stacks/hello", "never applied"));
        await author.CommitAndPushAsync("cannot be pulled");
        checkout.Write("deployments/hello/spec.yml", HelloCopy.Spec("../../stacks/hello", "edited by hand on the host"));
        var specBefore = await File.ReadAllTextAsync(d.File("spec.yml"));

        var refused = await d.RunUncheckedAsync("restart");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("prepare", refused.StandardError);
        Assert.Equal(specBefore, await File.ReadAllTextAsync(d.File("spec.yml")));
        Assert.Equal(after, await HelloCopy.ContainersAsync(d.DeploymentId));
        Assert.Contains("greeting from the restart command", await Http.GetOkAsync(await d.UrlAsync("web", 80), "/"));
    }

    /// <summary>D's files (all but .slipway/ and data/) as path → content.</summary>
    private static SortedDictionary<string, string> FilesOf(string directory) => new(
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(directory, f))
            .Where(f => !f.StartsWith(".slipway", StringComparison.Ordinal) && !f.StartsWith("data", StringComparison.Ordinal))
            .ToDictionary(f => f, f => File.ReadAllText(Path.Combine(directory, f))), StringComparer.Ordinal);

    [Fact]
    public async Task A_pulled_spec_that_prepare_refuses_leaves_every_file_of_D_as_it_was()
    {
        await using var ws = new Workspace();
        var (author, _, d) = await DeployFromGitAsync(ws);
        var before = FilesOf(d.Directory);
        var containers = await HelloCopy.ContainersAsync(d.DeploymentId);

        author.Write("deployments/hello/spec.yml", HelloCopy.Spec("../../stacks/hello", "greeting v2", "API_KEY: CHANGEME"));
        await author.CommitAndPushAsync("a placeholder slipped in");
        var refused = await d.RunUncheckedAsync("restart");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("config 'API_KEY' still holds a placeholder (CHANGEME)", refused.StandardError);
        // Pointed at the git-tracked spec the operator edits, not at D's copy or D/config.env.
        Assert.Contains(Path.Combine(ws.Combine("ops-checkout"), "deployments", "hello", "spec.yml") + ":", refused.StandardError);
        Assert.DoesNotContain("config.env:", refused.StandardError);
        Assert.Contains("the sync was undone: every file of D is as it was before this restart", refused.StandardError);
        Assert.Equal(before, FilesOf(d.Directory));
        Assert.Empty(Directory.EnumerateDirectories(d.File(".slipway"), "sync-undo-*"));
        Assert.Equal(containers, await HelloCopy.ContainersAsync(d.DeploymentId));
    }
}
