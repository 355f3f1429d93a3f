using System.Text.RegularExpressions;
using Slipway.IntegrationTests.Infrastructure;

namespace Slipway.IntegrationTests.Swarm;

/// <summary>
/// deploy-to: swarm on a real single-node swarm (its own dockerd, see <see cref="SwarmFixture"/>): first deploy,
/// config-file changes that roll only their consumer and prune the versions no kept revision uses, an unhealthy
/// release rolled back as a stack, and stop keeping volumes and the kept config versions.
/// </summary>
[Collection(SideBySideCollection.Name)]
public sealed class SwarmLifecycleTests(DockerFixture docker, SwarmFixture swarm) : IClassFixture<SwarmFixture>
{
    private static string StackSource => Path.Combine(Paths.RepositoryRoot, "tests", "Slipway.IntegrationTests", "Swarm", "Stacks", "swarm");

    private Task<CliResult> RunAsync(TestDeployment d, int expected, params string[] command) => CheckAsync(expected, SlipwayCommand.RunUncheckedAsync(swarm.Host, ["deployment", "--dir", d.Directory, .. command]));

    private static async Task<CliResult> CheckAsync(int expected, Task<CliResult> run)
    {
        var result = await run;
        Assert.True(result.ExitCode == expected, $"expected exit code {expected}, got {result.ExitCode}:\n{result}");
        return result;
    }

    /// <summary>service → the ID of its running task.</summary>
    private async Task<Dictionary<string, string>> RunningTasksAsync(TestDeployment d)
    {
        var tasks = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var service in new[] { "web", "worker" })
        {
            var lines = Docker.Lines(await swarm.DockerOutputAsync("service", "ps", "--filter", "desired-state=running", "--format", "{{.ID}}", $"{d.DeploymentId}_{service}"));
            tasks[service] = Assert.Single(lines);
        }

        return tasks;
    }

    private Task<IReadOnlyList<string>> ConfigsAsync(TestDeployment d) => ObjectsAsync("config", d);

    private Task<IReadOnlyList<string>> SecretsAsync(TestDeployment d) => ObjectsAsync("secret", d);

    private async Task<IReadOnlyList<string>> ObjectsAsync(string kind, TestDeployment d) =>
        Docker.Lines(await swarm.DockerOutputAsync(kind, "ls", "--filter", $"label=io.slipway.deployment={d.DeploymentId}", "--format", "{{.Name}}")).Order(StringComparer.Ordinal).ToList();

    /// <summary>What web's running container reads at <paramref name="path"/> (docker exec on the test node).</summary>
    private async Task<string> ReadInWebAsync(TestDeployment d, string path)
    {
        var container = Assert.Single(Docker.Lines(await swarm.DockerOutputAsync("ps", "--quiet", "--filter", $"label=com.docker.swarm.service.name={d.DeploymentId}_web")));
        return await swarm.DockerOutputAsync("exec", container, "cat", path);
    }

    /// <summary>The token reaches web as a file, and neither the service's spec nor the stack file holds the value.</summary>
    private async Task AssertTokenIsASecretAsync(TestDeployment d, string token)
    {
        Assert.Equal(token, (await ReadInWebAsync(d, "/run/secrets/API_TOKEN")).Trim());
        var inspect = await swarm.DockerOutputAsync("service", "inspect", $"{d.DeploymentId}_web");
        Assert.DoesNotContain(token, inspect, StringComparison.Ordinal);
        Assert.Contains("API_TOKEN_FILE=/run/secrets/API_TOKEN", inspect, StringComparison.Ordinal);
        Assert.DoesNotContain(token, await File.ReadAllTextAsync(d.File("swarm", "stack.yml")), StringComparison.Ordinal);
    }

    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>GET from the test swarm's node (the tests' own network namespace, over its veth), expecting 200.</summary>
    private static async Task<string> GetAsync(string path)
    {
        using var response = await Client.GetAsync(new Uri($"http://{SwarmFixture.NodeAddress}:18081{path}"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode}\n{body}");
        return body;
    }

    private static Task<string> PageAsync() => GetAsync("/");

    private static async Task UpdateAsync(string spec, TestDeployment d)
    {
        await SlipwayCommand.RunAsync("deploy", "create", "--spec-file", spec, "--deployment-dir", d.Directory, "--update");
    }

    [Fact]
    public async Task A_stack_deploys_rolls_only_the_consumer_of_a_changed_config_prunes_unused_versions_rolls_back_as_a_unit_and_stop_keeps_volumes()
    {
        Assert.Contains("built slipway/hello:local", docker.HelloBuild.StandardError);
        await using var ws = new Workspace();
        var stack = ws.Combine("stack");
        CopyDirectory(StackSource, stack);
        var spec = await ws.InitAsync(stack, "spec.yml", "--deploy-to", "swarm", "--config", "GREETING=v1,HEALTHY=yes");
        // The stack's own host-mode port, not init's ingress one: the test node has no IPVS for the routing mesh.
        var initial = await File.ReadAllTextAsync(spec);
        var withoutPorts = Regex.Replace(initial, "(?m)^network:\n  ports:\n    web:\n    - \"18081:80\"\n", "");
        Assert.NotEqual(initial, withoutPorts);
        await File.WriteAllTextAsync(spec, withoutPorts);
        await File.AppendAllTextAsync(spec, "rollout:\n  history-limit: 2\n  timeout: 90s\nverify:\n  - service: web\n    http: /motd.txt\n    port: 80\nenv-files: [secrets.env]\n");
        var secretsEnv = ws.Combine("secrets.env");
        await WriteTokenAsync(secretsEnv, "token-one-1f3a");
        var d = await ws.CreateAsync(spec, "d");
        // Where the volume's data lives (init made it a folder of D): that path on whichever node runs the task.
        var created = d.CreateResult.StandardError + d.CreateResult.StandardOutput;
        Assert.True(Regex.IsMatch(created, @"worker-data +host directory \S+/data/worker-data on the node running the task \(every node that may run it needs that path\) +same node only"), created);
        Assert.True(File.Exists(d.File("swarm", "stack.yml")));

        // Revision 1: the first deploy converges and serves.
        await RunAsync(d, 0, "start");
        Assert.Contains("<h1>v1</h1>", await PageAsync());
        Assert.Equal("motd v1\n", await GetAsync("/motd.txt"));
        var first = await RunningTasksAsync(d);
        var v1Configs = await ConfigsAsync(d);
        Assert.Equal(2, v1Configs.Count);
        var v1Secret = Assert.Single(await SecretsAsync(d));
        var unchanged = await RunAsync(d, 0, "plan");
        Assert.Contains("No changes", unchanged.StandardOutput + unchanged.StandardError);
        await AssertTokenIsASecretAsync(d, "token-one-1f3a");
        var status = await RunAsync(d, 0, "status");
        Assert.Contains("web", status.StandardOutput);
        Assert.Contains("worker", status.StandardOutput);

        // Revision 2: web's config file and the token change; only web rolls; revision 1 is kept, so its versions stay.
        await File.WriteAllTextAsync(Path.Combine(stack, "config", "swarm", "web.txt"), "motd v2\n");
        await WriteTokenAsync(secretsEnv, "token-two-8c2e");
        await UpdateAsync(spec, d);
        // plan says what the start will do: web updated for its new config and secret versions, worker untouched.
        var plan = await RunAsync(d, 0, "plan");
        var planText = plan.StandardOutput + plan.StandardError;
        Assert.Matches(@"service +web +update +new config \S+-web\.txt, secret \S+-API_TOKEN", planText);
        Assert.DoesNotMatch(@"service +worker", planText);
        Assert.Matches(@"secret +\S+-API_TOKEN +create", planText);
        Assert.DoesNotContain("token-two-8c2e", planText);
        Assert.Matches(@"worker-data +host directory \S+/data/worker-data on the node running the task", planText);
        await RunAsync(d, 0, "start");
        Assert.Equal("motd v2\n", await GetAsync("/motd.txt"));
        var second = await RunningTasksAsync(d);
        Assert.NotEqual(first["web"], second["web"]);
        Assert.Equal(first["worker"], second["worker"]);
        var v2Configs = await ConfigsAsync(d);
        Assert.Equal(3, v2Configs.Count);
        Assert.Superset(v1Configs.ToHashSet(), v2Configs.ToHashSet());
        await AssertTokenIsASecretAsync(d, "token-two-8c2e");
        var v2Secrets = await SecretsAsync(d);
        Assert.Equal(2, v2Secrets.Count);
        var v2Secret = Assert.Single(v2Secrets, s => s != v1Secret);

        // Revision 3: another change; revision 1 leaves the history, and with it the first web.txt version.
        await File.WriteAllTextAsync(Path.Combine(stack, "config", "swarm", "web.txt"), "motd v3\n");
        await UpdateAsync(spec, d);
        var third = await RunAsync(d, 0, "start");
        var v3Configs = await ConfigsAsync(d);
        var v1Web = Assert.Single(v1Configs.Except(v2Configs.Except(v1Configs)), c => c.EndsWith("web.txt", StringComparison.Ordinal));
        Assert.DoesNotContain(v1Web, v3Configs);
        Assert.Equal(3, v3Configs.Count);
        Assert.Contains("pruned config version", third.StandardError + await File.ReadAllTextAsync(LogOf(third)));
        // The unchanged token keeps its object (reused, web not rolled for it); revision 1's token leaves with revision 1.
        Assert.Equal([v2Secret], await SecretsAsync(d));
        Assert.Contains($"pruned secret version {v1Secret}", await File.ReadAllTextAsync(LogOf(third)));
        Assert.Equal(["swarm/secrets/" + v2Secret], Directory.EnumerateFiles(d.File("swarm", "secrets")).Select(f => Path.GetRelativePath(d.Directory, f)));

        // Revision 4 is unhealthy: verify fails, and revision 3's stack file and config names go back as one unit.
        var spec4 = Regex.Replace(await File.ReadAllTextAsync(spec), "(?m)^  HEALTHY: .*$", "  HEALTHY: \"no\"");
        await File.WriteAllTextAsync(spec, Regex.Replace(spec4, "(?m)^  GREETING: .*$", "  GREETING: \"v4\""));
        await File.WriteAllTextAsync(Path.Combine(stack, "config", "swarm", "worker.txt"), "worker settings v4\n");
        await UpdateAsync(spec, d);
        var bad = await RunAsync(d, Cli.ExitCodes.RolledBack, "start");
        Assert.Contains("rolled back to revision 3", bad.StandardError);
        Assert.Contains("<h1>v1</h1>", await PageAsync());
        Assert.Equal("motd v3\n", await GetAsync("/motd.txt"));
        var env = await swarm.DockerOutputAsync("service", "inspect", "--format", "{{json .Spec.TaskTemplate.ContainerSpec.Env}}", $"{d.DeploymentId}_web");
        Assert.Contains("HEALTHY=yes", env);
        var configsAfterRollback = await swarm.DockerOutputAsync("service", "inspect", "--format", "{{range .Spec.TaskTemplate.ContainerSpec.Configs}}{{.ConfigName}} {{end}}", $"{d.DeploymentId}_worker");
        Assert.DoesNotContain(configsAfterRollback.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), c => c.Length > 0 && !v3Configs.Contains(c));

        // stop removes the stack and keeps the volume and the config versions of the kept revisions.
        await RunAsync(d, 0, "stop");
        Assert.Empty(Docker.Lines(await swarm.DockerOutputAsync("service", "ls", "--quiet", "--filter", $"label=com.docker.stack.namespace={d.DeploymentId}")));
        Assert.Contains($"{d.DeploymentId}_worker-data", Docker.Lines(await swarm.DockerOutputAsync("volume", "ls", "--format", "{{.Name}}")));
        Assert.Superset(v3Configs.ToHashSet(), (await ConfigsAsync(d)).ToHashSet());
        Assert.NotEmpty(await ConfigsAsync(d));
        Assert.Equal([v2Secret], await SecretsAsync(d));
    }

    private static async Task WriteTokenAsync(string file, string token)
    {
        await File.WriteAllTextAsync(file, $"API_TOKEN={token}\n");
        if (OperatingSystem.IsLinux()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public async Task A_swarm_start_killed_during_verify_is_finished_by_resume()
    {
        await using var ws = new Workspace();
        var stack = ws.Combine("stack");
        CopyDirectory(StackSource, stack);
        var spec = await ws.InitAsync(stack, "spec.yml", "--deploy-to", "swarm", "--config", "GREETING=resumed,HEALTHY=yes");
        await File.WriteAllTextAsync(spec, Regex.Replace(await File.ReadAllTextAsync(spec), "(?m)^network:\n  ports:\n    web:\n    - \"18081:80\"\n", ""));
        var d = await ws.CreateAsync(spec, "d");

        using (var child = Pipeline.ChildCli.Start(new Dictionary<string, string> { ["SLIPWAY_DOCKER"] = swarm.DockerWrapper }, "deployment", "--dir", d.Directory, "start"))
        {
            await child.WaitForStageAsync(d.Directory, "verify", TimeSpan.FromSeconds(90));
            await child.KillAsync();
        }

        Assert.Equal("running", Pipeline.ChildCli.StageState(d.File(".slipway", "runs"), "verify"));
        var resume = await RunAsync(d, 0, "resume");
        Assert.Contains("at stage verify", resume.StandardError);
        Assert.Contains("<h1>resumed</h1>", await PageAsync());

        // The other verbs on the stack: ps, port, logs (piped: captured line by line), exec on this node.
        var ps = await RunAsync(d, 0, "ps");
        Assert.Matches(@"web\b.*running", ps.StandardOutput);
        Assert.Matches(@"worker\b.*running", ps.StandardOutput);
        Assert.Equal($"{SwarmFixture.NodeAddress}:18081", (await RunAsync(d, 0, "port", "web", "80")).StandardOutput.Trim());
        await RunAsync(d, Cli.ExitCodes.For(Core.Diagnostics.FailureReason.NotFound), "port", "web", "81");
        Assert.Contains("worker settings v1", (await RunAsync(d, 0, "logs", "-n", "5", "worker")).StandardOutput);
        await RunAsync(d, 0, "exec", "worker", "test", "-s", "/data/starts.log");
        await RunAsync(d, 1, "exec", "web", "false"); // busybox false: exec passes the exit code through
        await RunAsync(d, 0, "stop");
    }

    [Fact]
    public async Task A_swarm_start_on_an_engine_that_is_not_a_swarm_manager_says_so_and_how_to_fix_it()
    {
        await using var ws = new Workspace();
        var stack = ws.Combine("stack");
        CopyDirectory(StackSource, stack);
        var spec = await ws.InitAsync(stack, "spec.yml", "--deploy-to", "swarm");
        var d = await ws.CreateAsync(spec, "d");

        // The shared engine, never in swarm mode.
        var result = await d.RunUncheckedAsync("start");

        Assert.Equal(Cli.ExitCodes.For(Core.Diagnostics.FailureReason.PrerequisiteMissing), result.ExitCode);
        Assert.Contains("the Docker Engine is not a swarm manager", result.StandardError);
        Assert.Contains("docker swarm init", result.StandardError);
    }

    /// <summary>A copy of the test stack and its spec for swarm (without init's ingress port), with <paramref name="extra"/> appended.</summary>
    private static async Task<string> SpecAsync(Workspace ws, string extra, params string[] config)
    {
        var stack = ws.Combine("stack");
        CopyDirectory(StackSource, stack);
        var spec = await ws.InitAsync(stack, "spec.yml", ["--deploy-to", "swarm", .. config.Length == 0 ? Array.Empty<string>() : ["--config", string.Join(",", config)]]);
        await File.WriteAllTextAsync(spec, Regex.Replace(await File.ReadAllTextAsync(spec), "(?m)^network:\n  ports:\n    web:\n    - \"18081:80\"\n", "") + extra);
        return spec;
    }

    /// <summary>Sets the spec's worker-data volume: empty for a Docker named volume, else a host path.</summary>
    private static async Task SetWorkerDataAsync(string spec, string path) =>
        await File.WriteAllTextAsync(spec, Regex.Replace(await File.ReadAllTextAsync(spec), "(?m)^  worker-data:.*$", path.Length == 0 ? "  worker-data:" : $"  worker-data: \"{path}\""));

    [Fact]
    public async Task A_live_volume_whose_storage_D_no_longer_declares_is_refused_at_start_with_the_steps_that_move_its_data()
    {
        await using var ws = new Workspace();
        var spec = await SpecAsync(ws, "");
        await SetWorkerDataAsync(spec, "");
        var d = await ws.CreateAsync(spec, "d");
        await RunAsync(d, 0, "start");
        var volume = $"{d.DeploymentId}_worker-data";
        Assert.Contains(volume, Docker.Lines(await swarm.DockerOutputAsync("volume", "ls", "--format", "{{.Name}}")));

        // A named volume changed to a host path: the swarm would keep the named volume; start refuses and changes nothing.
        var first = ws.Combine("storage-a");
        Directory.CreateDirectory(first);
        await SetWorkerDataAsync(spec, first);
        await UpdateAsync(spec, d);
        var before = await RunningTasksAsync(d);
        var plan = await RunAsync(d, 0, "plan");
        Assert.Contains($"(in use; D declares host directory {first}: start refuses until it is migrated)", plan.StandardOutput + plan.StandardError);
        var refused = await RunAsync(d, Cli.ExitCodes.For(Core.Diagnostics.FailureReason.Conflict), "start");
        Assert.Contains($"'worker-data' is live as Docker named volume {volume}", refused.StandardError);
        Assert.Contains($"but D declares host directory {first}", refused.StandardError);
        Assert.Contains($"docker volume rm {volume}", refused.StandardError);
        Assert.Contains("start (docker stack deploy creates each volume with the storage D declares)", refused.StandardError);
        Assert.Equal(before, await RunningTasksAsync(d));

        // The steps: stop, drop the named volume (its data copied first when it matters), start on the host path.
        await RunAsync(d, 0, "stop");
        await swarm.DockerOutputAsync("volume", "rm", volume);
        await RunAsync(d, 0, "start");
        Assert.True(File.Exists(Path.Combine(first, "starts.log")), "the worker did not write to the host path D declares");

        // Host path A changed to B: refused with the copy step, nothing written to B.
        var second = ws.Combine("storage-b");
        await SetWorkerDataAsync(spec, second);
        await UpdateAsync(spec, d);
        var moved = await RunAsync(d, Cli.ExitCodes.For(Core.Diagnostics.FailureReason.Conflict), "start");
        Assert.Contains($"'worker-data' is live as host directory {first}, but D declares host directory {second}", moved.StandardError);
        Assert.Contains($"cp -a {first}/. {second}/", moved.StandardError);
        Assert.False(Directory.Exists(second) && Directory.EnumerateFileSystemEntries(second).Any(), "a refused start wrote to the new storage");
        await RunAsync(d, 0, "stop");
    }

    [Fact]
    public async Task A_swarm_run_interrupted_by_SIGTERM_logs_out_of_the_registry_it_logged_in_to()
    {
        await using var ws = new Workspace();
        var token = "tok-" + Guid.NewGuid().ToString("N");
        // On the host's end of the node's veth: the swarm node's engine checks docker login's credentials itself.
        var registry = await Registry.LocalRegistry.StartAsync(ws.Combine("registry"), "slipway", token, SwarmFixture.HostAddress);
        try
        {
            var login = await Registry.RegistryLoginFiles.CreateAsync(ws, token, $"unix://{swarm.Socket}");
            var (dockerConfig, wrapper) = (login.DockerConfig, login.DockerWrapper);
            // A check that cannot pass keeps the run in verify until the signal.
            var spec = await SpecAsync(ws, login.SpecLines(registry.Address)
                + "rollout:\n  timeout: 180s\nverify:\n  - service: web\n    http: /no-such-page\n    port: 80\n    timeout: 150s\n");
            var d = await ws.CreateAsync(spec, "d");

            using (var child = Pipeline.ChildCli.Start(new Dictionary<string, string> { ["SLIPWAY_DOCKER"] = wrapper }, "deployment", "--dir", d.Directory, "start"))
            {
                await child.WaitForStageAsync(d.Directory, "verify", TimeSpan.FromSeconds(120));
                Assert.True(Registry.RegistryLogoutTests.HasLogin(dockerConfig, registry.Address), $"the run had not logged in by its verify stage:\n{child.Output}");
                await child.SignalAsync("TERM");
                Assert.Equal(Cli.ExitCodes.Interrupted, await child.WaitForExitAsync(TimeSpan.FromSeconds(60)));
                Assert.Contains("interrupted at stage verify", child.Output);
            }

            Assert.False(Registry.RegistryLogoutTests.HasLogin(dockerConfig, registry.Address), "the login stayed after an interrupted run");
            var log = Directory.GetFiles(d.File(".slipway", "logs"), "*-start.log").Single();
            Registry.RegistryLogoutTests.AssertLoggedInThenOut(await File.ReadAllTextAsync(log), registry.Address, token);
            await RunAsync(d, 0, "stop");
        }
        finally
        {
            await registry.DisposeAsync();
        }
    }

    private static string LogOf(CliResult result)
    {
        var log = Regex.Match(result.StandardError, @"(?m)(?:^log: |; log )(\S+)").Groups[1].Value.Trim();
        Assert.True(log.Length > 0, $"no log path in:\n{result}");
        return log;
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
