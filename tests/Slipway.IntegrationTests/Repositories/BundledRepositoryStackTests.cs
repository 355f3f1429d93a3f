using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.Repositories;

/// <summary>
/// Small self-written stand-ins of three laconic-so stacks whose pods live in repositories (the act-runner one is
/// <see cref="RepositoryStackTests"/>): package-registry (two dict pods from one repository with pre/post start
/// scripts, an image built from a repository checked out at a branch whose name has a slash), webapp-deployer-backend
/// (pod at the repository's root, path ./, image built by a stock-shaped build.sh from that repository) and
/// test-restart-multi (bare-name repositories the operator creates in the dev root; a GitOps restart after one of them
/// changed recreates only its pod). Images are FROM scratch with the host's busybox.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BundledRepositoryStackTests
{
    private const string Sleeper = "[\"/bin/busybox\", \"sleep\", \"3600\"]";

    [Fact]
    public async Task Package_registry_runs_each_pods_start_scripts_around_up_and_builds_from_the_branch_it_names()
    {
        await using var ws = new Workspace();
        using var temp = new TempWorkspace();
        await using var git = await LocalGitHosts.StartAsync(temp);
        const string Image = "slipway-it/pr-act-runner";
        var log = temp.Combine("scripts.log");
        string Script(string name, string phase) =>
            $"#!/bin/sh\necho \"{phase} {name} $CERC_SO_COMPOSE_PROJECT $(docker compose -p $CERC_SO_COMPOSE_PROJECT ps --services --status running | sort | xargs)\" >> {log}\n";
        var hosting = await git.RepositoryAsync("git.vdb.to", "cerc-io", "hosting", new()
        {
            ["gitea/docker-compose.yml"] = $"services:\n  gitea:\n    image: {Image}:local\n    command: {Sleeper}\n",
            ["gitea/run-this-first.sh"] = Script("gitea", "pre"),
            ["gitea/initialize-gitea.sh"] = Script("gitea", "post"),
            ["act-runner/docker-compose.yml"] = $"services:\n  act-runner:\n    image: {Image}:local\n    command: {Sleeper}\n",
            ["act-runner/pre_start.sh"] = Script("act-runner", "pre"),
            ["act-runner/post_start.sh"] = Script("act-runner", "post"),
        });
        foreach (var script in new[] { "gitea/run-this-first.sh", "gitea/initialize-gitea.sh", "act-runner/pre_start.sh", "act-runner/post_start.sh" })
        {
            File.SetUnixFileMode(hosting.Combine(script), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        await hosting.CommitAndPushAsync("executable scripts");
        var runner = await git.RepositoryAsync("gitea.com", "telackey", "act_runner", new()
        {
            ["Dockerfile"] = "FROM scratch\nCOPY busybox /bin/busybox\nCOPY greeting /greeting\n",
            ["greeting"] = "main branch\n",
        });
        File.Copy("/bin/busybox", runner.Combine("busybox"));
        await runner.CommitAndPushAsync("busybox");
        await runner.GitAsync("checkout", "--quiet", "-b", "telackey/entrypoint");
        runner.Write("greeting", "entrypoint branch\n");
        await runner.GitAsync("add", "greeting");
        await runner.GitAsync("commit", "--quiet", "-m", "entrypoint");
        await runner.GitAsync("push", "--quiet", "origin", "telackey/entrypoint");

        var root = ws.Combine("so");
        Write(root, "stacks/package-registry/stack.yml", $"""
            version: "1.1"
            name: package-registry
            repos:
              - git.vdb.to/cerc-io/hosting
              - gitea.com/telackey/act_runner@telackey/entrypoint
            containers:
              - {Image}
            pods:
              - name: gitea
                repository: cerc-io/hosting
                path: gitea
                pre_start_command: "run-this-first.sh"
                post_start_command: "initialize-gitea.sh"
              - name: act-runner
                repository: cerc-io/hosting
                path: act-runner
                pre_start_command: "pre_start.sh"
                post_start_command: "post_start.sh"
            """);
        StockBuildScript(root, Image, "${CERC_REPO_BASE_DIR}/act_runner");
        var stack = Path.Combine(root, "stacks", "package-registry");
        try
        {
            await SlipwayCommand.RunAsync("--stack", stack, "setup-repositories");
            var d = await ws.CreateAsync(await ws.InitAsync(stack, "spec.yml"), "d");
            await d.RunAsync("start");

            Assert.Equal("entrypoint branch\n", await Docker.OutputAsync("compose", "--project-name", d.DeploymentId, "exec", "-T", "gitea", "/bin/busybox", "cat", "/greeting"));
            var id = d.DeploymentId;
            Assert.Equal(
                $"pre gitea {id} \npre act-runner {id} \npost gitea {id} act-runner gitea\npost act-runner {id} act-runner gitea\n",
                File.ReadAllText(log));
        }
        finally
        {
            await RemoveImagesAsync(Image);
        }
    }

    [Fact]
    public async Task Webapp_deployer_backend_deploys_its_pod_from_the_repository_root_with_an_image_built_from_that_repository()
    {
        await using var ws = new Workspace();
        using var temp = new TempWorkspace();
        await using var git = await LocalGitHosts.StartAsync(temp);
        const string Image = "slipway-it/webapp-deployer-backend";
        var api = await git.RepositoryAsync("git.vdb.to", "cerc-io", "webapp-deployment-status-api", new()
        {
            ["docker-compose.yml"] = $"services:\n  webapp-deployer-backend:\n    image: {Image}:local\n    command: {Sleeper}\n",
            ["Dockerfile"] = "FROM scratch\nCOPY busybox /bin/busybox\nCOPY status /status\n",
            ["status"] = "deployer api\n",
        });
        File.Copy("/bin/busybox", api.Combine("busybox"));
        await api.CommitAndPushAsync("busybox");
        var root = ws.Combine("so");
        Write(root, "stacks/webapp-deployer-backend/stack.yml", $"""
            version: "1.0"
            name: webapp-deployer-backend
            repos:
              - git.vdb.to/cerc-io/webapp-deployment-status-api
            containers:
              - {Image}
            pods:
              - name: webapp-deployer-backend
                repository: git.vdb.to/cerc-io/webapp-deployment-status-api
                path: ./
            """);
        StockBuildScript(root, Image, "${CERC_REPO_BASE_DIR}/webapp-deployment-status-api");
        var stack = Path.Combine(root, "stacks", "webapp-deployer-backend");
        try
        {
            await SlipwayCommand.RunAsync("--stack", stack, "setup-repositories");
            var d = await ws.CreateAsync(await ws.InitAsync(stack, "spec.yml"), "d");
            await d.RunAsync("start");
            Assert.Equal("deployer api\n",
                await Docker.OutputAsync("compose", "--project-name", d.DeploymentId, "exec", "-T", "webapp-deployer-backend", "/bin/busybox", "cat", "/status"));
            Assert.Contains(await d.StatusAsync(), s => s.Service == "webapp-deployer-backend" && s.State == "running");
        }
        finally
        {
            await RemoveImagesAsync(Image);
        }
    }

    [Fact]
    public async Task Test_restart_multi_restart_after_one_pod_repository_changed_recreates_only_that_pod()
    {
        await using var ws = new Workspace();
        using var temp = new TempWorkspace();
        await using var git = await LocalGitHosts.StartAsync(temp);
        const string Image = "slipway-it/restart-multi";
        var image = temp.Combine("image");
        Directory.CreateDirectory(image);
        File.Copy("/bin/busybox", Path.Combine(image, "busybox"));
        File.WriteAllText(Path.Combine(image, "Dockerfile"), "FROM scratch\nCOPY busybox /bin/busybox\n");
        (await Docker.RunAsync("build", "--quiet", "--tag", Image + ":local", image)).ShouldSucceed();

        // laconic-so's test creates these repositories in the dev root itself; the stack has no repos: to clone.
        string Pod(string marker) => $"services:\n  {marker}:\n    image: {Image}:local\n    command: {Sleeper}\n    environment:\n      MARK: \"{marker}-v1\"\n";
        Directory.CreateDirectory(git.DevRoot);
        var a = await DevRootRepositoryAsync(temp, git.DevRoot, "test-restart-pod-a", Pod("a"));
        await DevRootRepositoryAsync(temp, git.DevRoot, "test-restart-pod-b", Pod("b"));
        var root = ws.Combine("so");
        Write(root, "stacks/test-restart-multi/stack.yml", """
            version: "1.0"
            name: test-restart-multi
            pods:
              - name: test-restart-multi-a
                repository: test-restart-pod-a
                path: .
              - name: test-restart-multi-b
                repository: test-restart-pod-b
                path: .
            """);
        var stack = Path.Combine(root, "stacks", "test-restart-multi");
        try
        {
            var none = await SlipwayCommand.RunAsync("--stack", stack, "setup-repositories");
            Assert.Contains("does not define any repositories", none.StandardError);
            var d = await ws.CreateAsync(await ws.InitAsync(stack, "spec.yml"), "d");
            await d.RunAsync("start");
            var before = await ServiceIdsAsync(d.DeploymentId);

            a.Write("docker-compose.yml", Pod("a").Replace("a-v1", "a-v2", StringComparison.Ordinal));
            await a.GitAsync("commit", "--quiet", "-am", "a v2");
            await d.RunAsync("restart");

            var after = await ServiceIdsAsync(d.DeploymentId);
            Assert.NotEqual(before["a"], after["a"]);
            Assert.Equal(before["b"], after["b"]);
            Assert.Equal("a-v2\n", await Docker.OutputAsync("compose", "--project-name", d.DeploymentId, "exec", "-T", "a", "/bin/busybox", "sh", "-c", "echo $MARK"));
        }
        finally
        {
            await RemoveImagesAsync(Image);
        }
    }

    /// <summary>A clone at &lt;dev root&gt;/&lt;name&gt; of a local bare repository holding one docker-compose.yml.</summary>
    private static async Task<GitTestRepository> DevRootRepositoryAsync(TempWorkspace temp, string devRoot, string name, string compose)
    {
        var author = await GitTestRepository.CreateAuthorAsync(temp.Path, name, new Dictionary<string, string> { ["docker-compose.yml"] = compose });
        return await GitTestRepository.CloneAsync(await author.RemoteAsync(), Path.Combine(devRoot, name));
    }

    private static async Task<Dictionary<string, string>> ServiceIdsAsync(string project)
    {
        var ids = new Dictionary<string, string>();
        foreach (var service in new[] { "a", "b" })
        {
            ids[service] = (await Docker.OutputAsync("compose", "--project-name", project, "ps", "--quiet", service)).Trim();
        }

        return ids;
    }

    /// <summary>A stock-shaped build.sh (sources build-base.sh, hard-codes the :local tag) building from the dev root.</summary>
    private static void StockBuildScript(string root, string image, string context)
    {
        var script = Write(root, $"container-build/{image.Replace('/', '-')}/build.sh",
            $"#!/usr/bin/env bash\nsource ${{CERC_CONTAINER_BASE_DIR}}/build-base.sh\ndocker build -t {image}:local ${{build_command_args}} {context}\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static string Write(string root, string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text + (text.EndsWith('\n') ? "" : "\n"));
        return path;
    }

    private static async Task RemoveImagesAsync(string image)
    {
        var tags = Docker.Lines(await Docker.OutputAsync("image", "ls", "--format", "{{.Repository}}:{{.Tag}}", image));
        if (tags.Count > 0) await Docker.RunAsync(["image", "rm", "--force", .. tags]);
    }
}
