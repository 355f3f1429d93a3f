using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.Repositories;

/// <summary>
/// A stand-in of laconic-so's act-runner stack: its pod's compose file lives in one repository (cerc-io/hosting,
/// path act-runner) and its image is built by a stock-shaped build.sh from another (act_runner) in the dev root.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RepositoryStackTests
{
    private const string Image = "slipway-it/act-runner";

    [Fact]
    public async Task A_stack_whose_pod_and_image_come_from_repositories_deploys_once_they_are_set_up_and_follows_a_pull()
    {
        await using var ws = new Workspace();
        using var temp = new TempWorkspace();
        await using var git = await LocalGitHosts.StartAsync(temp);
        await git.RepositoryAsync("git.vdb.to", "cerc-io", "hosting", new()
        {
            ["act-runner/docker-compose.yml"] = $"services:\n  act-runner:\n    image: {Image}:local\n    command: [\"/bin/busybox\", \"sleep\", \"3600\"]\n",
        });
        var runner = await git.RepositoryAsync("git.vdb.to", "cerc-io", "act_runner", new()
        {
            ["Dockerfile"] = "FROM scratch\nCOPY busybox /bin/busybox\nCOPY greeting /greeting\n",
            ["greeting"] = "runner v1\n",
        });
        File.Copy("/bin/busybox", runner.Combine("busybox"));
        await runner.CommitAndPushAsync("busybox");
        var root = Path.Combine(ws.Path, "so");
        Directory.CreateDirectory(Path.Combine(root, "stacks", "act-runner"));
        await File.WriteAllTextAsync(Path.Combine(root, "stacks", "act-runner", "stack.yml"), $"""
            version: "1.1"
            name: act-runner
            repos:
              - git.vdb.to/cerc-io/hosting
              - git.vdb.to/cerc-io/act_runner
            containers:
              - {Image}
            pods:
              - name: act-runner
                repository: cerc-io/hosting
                path: act-runner
            """);
        var buildDir = Path.Combine(root, "container-build", "slipway-it-act-runner");
        Directory.CreateDirectory(buildDir);
        var script = Path.Combine(buildDir, "build.sh");
        await File.WriteAllTextAsync(script,
            "#!/usr/bin/env bash\nsource ${CERC_CONTAINER_BASE_DIR}/build-base.sh\n" +
            $"docker build -t {Image}:local ${{build_command_args}} -f ${{CERC_REPO_BASE_DIR}}/act_runner/Dockerfile ${{CERC_REPO_BASE_DIR}}/act_runner\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var stack = Path.Combine(root, "stacks", "act-runner");
        try
        {
            // Before the repositories are set up, deploy init cannot find the pod.
            var early = await SlipwayCommand.RunFailingAsync("--stack", stack, "deploy", "init", "--output", ws.Combine("early.yml"));
            Assert.Contains("act-runner", early.StandardError);

            await SlipwayCommand.RunAsync("--stack", stack, "setup-repositories");
            var spec = await ws.InitAsync(stack, "spec.yml");
            var d = await ws.CreateAsync(spec, "d");
            await d.RunAsync("start");
            Assert.Equal("runner v1\n", await Docker.OutputAsync("compose", "--project-name", d.DeploymentId, "exec", "-T", "act-runner", "/bin/busybox", "cat", "/greeting"));

            // A new commit upstream, pulled into the dev root: the next start builds a new image (the script's tag
            // includes the repositories' state) and runs it.
            runner.Write("greeting", "runner v2\n");
            await runner.CommitAndPushAsync("v2");
            await SlipwayCommand.RunAsync("--stack", stack, "setup-repositories", "--pull");
            await d.RunAsync("start");
            Assert.Equal("runner v2\n", await Docker.OutputAsync("compose", "--project-name", d.DeploymentId, "exec", "-T", "act-runner", "/bin/busybox", "cat", "/greeting"));
        }
        finally
        {
            var tags = Docker.Lines(await Docker.OutputAsync("image", "ls", "--format", "{{.Repository}}:{{.Tag}}", Image));
            if (tags.Count > 0) await Docker.RunAsync(["image", "rm", "--force", .. tags]);
        }
    }

    [Fact]
    public async Task Restart_pulls_the_pods_repositories_in_the_dev_root_that_are_on_a_branch_and_leaves_one_at_a_tag()
    {
        await using var ws = new Workspace();
        using var temp = new TempWorkspace();
        await using var git = await LocalGitHosts.StartAsync(temp);
        static string Pod(string service, string mark) =>
            $"services:\n  {service}:\n    image: slipway/hello:local\n    command: [\"counter\"]\n    environment:\n      MARK: \"{mark}\"\n";
        var hosting = await git.RepositoryAsync("git.vdb.to", "cerc-io", "hosting", new() { ["web/docker-compose.yml"] = Pod("web", "web-v1") });
        var pinned = await git.RepositoryAsync("github.com", "cerc-io", "pinned", new() { ["docker-compose.yml"] = Pod("tool", "tool-v1") });
        await pinned.GitAsync("tag", "v1");
        await pinned.GitAsync("push", "--quiet", "origin", "v1");
        // main moves past v1, so setup-repositories leaves the clone detached at v1.
        pinned.Write("docker-compose.yml", Pod("tool", "tool-main"));
        await pinned.CommitAndPushAsync("past v1");
        var stack = ws.Combine("so", "stacks", "two");
        Directory.CreateDirectory(stack);
        await File.WriteAllTextAsync(Path.Combine(stack, "stack.yml"), """
            version: "1.1"
            name: two
            repos:
              - git.vdb.to/cerc-io/hosting
              - cerc-io/pinned@v1
            pods:
              - name: web
                repository: cerc-io/hosting
                path: web
              - name: tool
                repository: cerc-io/pinned
            """);
        await SlipwayCommand.RunAsync("--stack", stack, "setup-repositories");
        var d = await ws.CreateAsync(await ws.InitAsync(stack, "spec.yml"), "d");
        await d.RunAsync("start");

        hosting.Write("web/docker-compose.yml", Pod("web", "web-v2"));
        var webV2 = await hosting.CommitAndPushAsync("web v2");
        pinned.Write("docker-compose.yml", Pod("tool", "tool-v2"));
        await pinned.CommitAndPushAsync("tool v2");
        var restart = await d.RunAsync("restart");

        // laconic-so's restart pulls only the stack source, so a pod repository's change never reached D.
        Assert.Equal("web-v2\n", await Docker.OutputAsync("compose", "--project-name", d.DeploymentId, "exec", "-T", "web", "sh", "-c", "echo $MARK"));
        Assert.Contains($"pod web {Path.Combine(git.DevRoot, "hosting")}: main fast-forwarded", restart.StandardError);
        Assert.Equal("tool-v1\n", await Docker.OutputAsync("compose", "--project-name", d.DeploymentId, "exec", "-T", "tool", "sh", "-c", "echo $MARK"));
        Assert.Contains($"pod tool {Path.Combine(git.DevRoot, "pinned")}: detached HEAD (no branch to pull), nothing pulled", restart.StandardError);

        // The restart's revision records the commits of the pods' repositories it was built from.
        var history = await d.RunAsync("history", "--output", "json");
        using var json = System.Text.Json.JsonDocument.Parse(history.StandardOutput);
        var pods = json.RootElement.EnumerateArray().Last().GetProperty("sources").EnumerateArray()
            .Where(s => s.GetProperty("role").GetString()!.StartsWith("pod ", StringComparison.Ordinal))
            .ToDictionary(s => s.GetProperty("role").GetString()!, s => (s.GetProperty("commit").GetString(), s.GetProperty("branch").GetString()));
        Assert.Equal((webV2, "main"), pods["pod web"]);
        Assert.Null(pods["pod tool"].Item2);
        Assert.Contains($"pod web {webV2[..12]}", (await d.RunAsync("history")).StandardOutput);
    }
}
