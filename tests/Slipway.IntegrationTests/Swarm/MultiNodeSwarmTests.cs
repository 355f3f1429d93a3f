using System.Globalization;
using System.Text.RegularExpressions;
using Slipway.Infrastructure.Composition;
using Slipway.IntegrationTests.Fleet;
using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.Swarm;

/// <summary>
/// A three-node swarm on the fleet's namespaced hosts (fleet-hosts.sh: each its own dockerd): host1 is the manager
/// (<c>swarm init</c> on its bridge address), host2 and host3 join as workers. The image reaches every node the way the
/// fleet's does (docker save | ssh host docker load): a swarm task runs the image its node has. Slipway drives the
/// manager's engine through a docker wrapper, as an operator on the manager would.
/// </summary>
public sealed class SwarmNodes : FleetHosts
{
    public const string Image = "slipway/hello:local";

    public string DockerWrapper => System.IO.Path.Combine(Root, "bin", "docker-manager");

    public HostSettings Manager => HostSettings.FromEnvironment() with { Tools = HostSettings.FromEnvironment().Tools with { Docker = DockerWrapper } };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await LoadImageAsync(Image);
        // A short dispatcher heartbeat: the manager sees a stopped node as down within seconds, not tens of seconds.
        (await this[1].DockerAsync("swarm", "init", "--advertise-addr", this[1].Address, "--dispatcher-heartbeat", "1s")).ShouldSucceed();
        var token = (await this[1].DockerAsync("swarm", "join-token", "--quiet", "worker")).ShouldSucceed().StandardOutput.Trim();
        foreach (var worker in Hosts.Skip(1))
        {
            (await worker.DockerAsync("swarm", "join", "--token", token, "--advertise-addr", worker.Address, this[1].Address + ":2377")).ShouldSucceed();
        }

        await File.WriteAllTextAsync(DockerWrapper, $"#!/bin/sh\nDOCKER_HOST={this[1].DockerHost} exec docker \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(DockerWrapper, (UnixFileMode)0b111_101_101);
    }

    /// <summary>Stops host i's dockerd by its PID: the node goes down with its containers.</summary>
    public async Task StopNodeAsync(int index) =>
        (await ScriptAsync(TimeSpan.FromMinutes(1), "stop-docker", Root, index.ToString(CultureInfo.InvariantCulture))).ShouldSucceed();
}

/// <summary>deploy-to: swarm over three real nodes: a service spread over them, and a node stopped in the middle of a rollout.</summary>
[Collection(DockerCollection.Name)]
public sealed class MultiNodeSwarmTests(SwarmNodes nodes) : IClassFixture<SwarmNodes>
{
    private const string Compose = """
        services:
          web:
            image: slipway/hello:local
            command: ["web"]
            environment:
              GREETING: ${GREETING:-unset}
            deploy:
              replicas: 3
            healthcheck:
              test: ["CMD", "/bin/busybox", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:80/"]
              interval: 1s
              timeout: 3s
              retries: 3

        """;

    private static string Spec(string stack, string greeting) =>
        $"stack: {stack}\ndeploy-to: swarm\nconfig:\n  GREETING: {greeting}\nrollout:\n  timeout: 45s\n";

    private Task<CliResult> SlipwayAsync(params string[] args) => SlipwayCommand.RunUncheckedAsync(nodes.Manager, args);

    /// <summary>GREETING of each running web container, per node (host1..host3; null: the node's engine is gone).</summary>
    private async Task<List<List<string>?>> GreetingsByNodeAsync()
    {
        var all = new List<List<string>?>();
        foreach (var host in nodes.Hosts)
        {
            var ps = await host.DockerAsync("ps", "-q", "--filter", "label=com.docker.swarm.service.name");
            if (!ps.Succeeded)
            {
                all.Add(null);
                continue;
            }

            var greetings = new List<string>();
            foreach (var id in ps.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var env = (await host.DockerAsync("inspect", "--format", "{{range .Config.Env}}{{println .}}{{end}}", id)).ShouldSucceed().StandardOutput;
                greetings.Add(env.Split('\n').First(l => l.StartsWith("GREETING=", StringComparison.Ordinal))["GREETING=".Length..]);
            }

            all.Add(greetings);
        }

        return all;
    }

    [Fact]
    public async Task A_service_spreads_over_three_nodes_and_a_node_stopped_mid_rollout_is_named_and_loses_nothing()
    {
        using var ws = new TempWorkspace();
        var stack = ws.Combine("stack");
        Directory.CreateDirectory(Path.Combine(stack, "compose"));
        await File.WriteAllTextAsync(Path.Combine(stack, "stack.yml"), "version: \"1.0\"\nname: spread\npods:\n  - web\n");
        await File.WriteAllTextAsync(Path.Combine(stack, "compose", "docker-compose-web.yml"), Compose);
        var spec = ws.Combine("spec.yml");
        await File.WriteAllTextAsync(spec, Spec(stack, "v1"));
        var d = ws.Combine("d");
        (await SlipwayAsync("deploy", "create", "--spec-file", spec, "--deployment-dir", d)).Ok();

        // Revision 1: three replicas, one on each node (swarm spreads them).
        (await SlipwayAsync("deployment", "--dir", d, "start")).Ok();
        Assert.Equal(["v1", "v1", "v1"], (await GreetingsByNodeAsync()).Select(g => g is null ? null : string.Join(",", g)));

        // Revision 2, and host3's engine stops once the swarm has started rolling the service.
        await File.WriteAllTextAsync(spec, Spec(stack, "v2"));
        (await SlipwayAsync("deploy", "create", "--spec-file", spec, "--deployment-dir", d, "--update")).Ok();
        var service = Workspace.ReadDeploymentId(d) + "_web";
        var downNode = (await nodes[3].DockerAsync("info", "--format", "{{.Swarm.NodeID}}")).ShouldSucceed().StandardOutput.Trim();
        var run = SlipwayAsync("deployment", "--dir", d, "start");
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while ((await nodes[1].DockerAsync("service", "inspect", "--format", "{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}", service)).StandardOutput.Trim() != "updating")
        {
            Assert.True(DateTime.UtcNow < deadline && !run.IsCompleted, "the rollout never started updating the service");
            await Task.Delay(50);
        }

        await nodes.StopNodeAsync(3);
        var result = await run;

        // What Slipway reports: either the swarm finished the update on the two nodes left (exit 0, revision 2), or the
        // update waited on the stopped node past rollout.timeout, the report names that node as down, and the stack rolled
        // back to revision 1 (exit 5). Never a rollback that failed, never a claim the dead node's task runs.
        Assert.True(result.ExitCode is 0 or 5, result.ToString());
        var live = result.ExitCode == 0 ? "v2" : "v1";
        var named = $"node {downNode[..12]} (";
        if (result.ExitCode == 0)
        {
            Assert.Matches(Regex.Escape(named) + @"[^)]*\) went down during the rollout: swarm runs its tasks on the other nodes now", result.StandardError);
        }
        else
        {
            // The timeout line names the down node: a task stuck on it (the slot's newest, or the old one a stop-first
            // update waits to see stopped), or the node itself when the manager lists no task there.
            var timeout = result.StandardError.Split('\n').First(l => l.Contains("not healthy after", StringComparison.Ordinal));
            Assert.Matches(Regex.Escape(named) + @"[^)]*\)(, which)? is down", timeout);
            Assert.Contains("rolled back to revision 1, which is healthy again", result.StandardError, StringComparison.Ordinal);
        }

        // Nothing is lost: three replicas of what Slipway says is live run on host1 and host2, the manager sees host3 as
        // down, and both revisions are in the history.
        var greetings = await GreetingsByNodeAsync();
        Assert.True(greetings[0] is not null && greetings[1] is not null, "host1 or host2 lost its engine");
        Assert.Null(greetings[2]);
        Assert.Equal(3, greetings[0]!.Count + greetings[1]!.Count);
        Assert.All(greetings[0]!.Concat(greetings[1]!), g => Assert.Equal(live, g));
        Assert.Contains("Down", (await nodes[1].DockerAsync("node", "ls", "--format", "{{.Status}}")).ShouldSucceed().StandardOutput, StringComparison.Ordinal);
        using var history = System.Text.Json.JsonDocument.Parse((await SlipwayAsync("deployment", "--dir", d, "history", "--output", "json")).Ok().StandardOutput);
        var revisions = (history.RootElement.ValueKind == System.Text.Json.JsonValueKind.Array ? history.RootElement : history.RootElement.GetProperty("revisions")).EnumerateArray().ToList();
        Assert.Equal([1, 2], revisions.Select(r => r.GetProperty("revision").GetInt32()).Order());
        Assert.Equal(result.ExitCode == 0 ? 2 : 1, revisions.Single(r => r.GetProperty("current").GetBoolean()).GetProperty("revision").GetInt32());
        var status = await SlipwayAsync("deployment", "--dir", d, "status");
        Assert.Equal(3, status.StandardOutput.Split('\n').Count(l => l.Contains("running", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Exec_runs_in_a_task_on_the_manager_and_names_the_node_of_a_task_that_runs_only_elsewhere()
    {
        using var ws = new TempWorkspace();
        var stack = ws.Combine("stack");
        Directory.CreateDirectory(Path.Combine(stack, "compose"));
        await File.WriteAllTextAsync(Path.Combine(stack, "stack.yml"), "version: \"1.0\"\nname: placed\npods:\n  - app\n");
        await File.WriteAllTextAsync(Path.Combine(stack, "compose", "docker-compose-app.yml"), """
            services:
              here:
                image: slipway/hello:local
                entrypoint: ["/bin/sleep", "3600"]
                deploy:
                  placement:
                    constraints: [node.role == manager]
              there:
                image: slipway/hello:local
                entrypoint: ["/bin/sleep", "3600"]
                deploy:
                  placement:
                    constraints: [node.role == worker]

            """);
        var spec = ws.Combine("spec.yml");
        await File.WriteAllTextAsync(spec, $"stack: {stack}\ndeploy-to: swarm\nrollout:\n  timeout: 90s\n");
        var d = ws.Combine("d");
        (await SlipwayAsync("deploy", "create", "--spec-file", spec, "--deployment-dir", d)).Ok();
        var workers = Docker.Lines((await nodes[1].DockerAsync("node", "ls", "--filter", "role=worker", "--format", "{{.ID}}")).ShouldSucceed().StandardOutput);
        try
        {
            (await SlipwayAsync("deployment", "--dir", d, "start")).Ok();

            // Local: the manager runs 'here', so exec reaches it and passes its exit code through.
            (await SlipwayAsync("deployment", "--dir", d, "exec", "here", "true")).Ok();
            Assert.Equal(1, (await SlipwayAsync("deployment", "--dir", d, "exec", "here", "false")).ExitCode);

            // Elsewhere: 'there' runs on a worker only; the refusal names that node and how to run the command on it.
            var there = await SlipwayAsync("deployment", "--dir", d, "exec", "there", "true");
            Assert.Equal(Cli.ExitCodes.For(Core.Diagnostics.FailureReason.NotFound), there.ExitCode);
            Assert.Contains("no task of service 'there' runs on this node; its running task is on node ", there.StandardError, StringComparison.Ordinal);
            var node = Regex.Match(there.StandardError, @"on node (\w{12}) \([^,]+, (10\.213\.0\.1[23])\)");
            Assert.True(node.Success, there.ToString());
            Assert.Contains(workers, w => w.StartsWith(node.Groups[1].Value, StringComparison.Ordinal));
            Assert.Contains("label=com.docker.swarm.service.name=", there.StandardError, StringComparison.Ordinal);
            Assert.Contains($"ssh {node.Groups[2].Value}", there.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            (await SlipwayAsync("deployment", "--dir", d, "stop")).Ok();
            // stop waits for the manager's containers; the workers' go a moment later, and the other test counts containers per node.
            var id = Workspace.ReadDeploymentId(d);
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
            foreach (var host in nodes.Hosts)
            {
                while (await host.DockerAsync("ps", "-q", "--filter", $"label=com.docker.stack.namespace={id}") is { Succeeded: true } left && left.StandardOutput.Trim().Length > 0
                    && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(200);
                }
            }
        }
    }

}

internal static class CliResultChecks
{
    public static CliResult Ok(this CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }
}
