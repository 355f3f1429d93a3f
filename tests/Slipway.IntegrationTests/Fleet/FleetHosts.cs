using System.Globalization;
using Slipway.Infrastructure.Processes;
using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.Fleet;

/// <summary>
/// N real hosts on this machine (network namespaces on a private bridge, each with its own sshd and dockerd), built by
/// <c>fleet-hosts.sh up</c> and torn down by PID with <c>fleet-hosts.sh down</c>. The orchestrator reaches host<c>i</c> with
/// the system ssh client and <see cref="SshConfig"/>. Reusable by any test that needs several hosts (a swarm, a fleet):
/// make one per test class (xunit class fixture) and share it, start-up is about 3 s for 3 hosts.
/// </summary>
public class FleetHosts : IAsyncLifetime
{
    private static readonly SystemProcessRunner Runner = new();

    public FleetHosts()
        : this(3)
    {
    }

    protected FleetHosts(int count) => Count = count;

    public int Count { get; }

    /// <summary>/tmp/swfl-XXXXXX: keys, ssh_config, and each host's files under hosts/h&lt;i&gt;/fs.</summary>
    public string Root { get; private set; } = "";

    /// <summary>The ssh client configuration naming host1..hostN (give it to ssh with -F, to Slipway with SLIPWAY_SSH_CONFIG).</summary>
    public string SshConfig => System.IO.Path.Combine(Root, "ssh_config");

    /// <summary>The path at which every host sees its own files (each host has its own content here).</summary>
    public string HostRoot => System.IO.Path.Combine(Root, "host");

    public static string Script => System.IO.Path.Combine(Paths.RepositoryRoot, "tests", "Slipway.IntegrationTests", "Fleet", "fleet-hosts.sh");

    public IReadOnlyList<FleetHost> Hosts { get; private set; } = [];

    public FleetHost this[int index] => Hosts[index - 1];

    public virtual async Task InitializeAsync()
    {
        await CleanUpAbandonedAsync();
        Root = Directory.CreateTempSubdirectory("swfl-").FullName;
        var up = await ScriptAsync(TimeSpan.FromMinutes(2), "up", Root, Count.ToString(CultureInfo.InvariantCulture));
        if (!up.Succeeded)
        {
            await DownAsync();
            throw new InvalidOperationException("building the test fleet failed (fleet-hosts.sh up):\n" + up);
        }

        // Marks the fleet as this test process's, so a later run can tell an abandoned one (the process was killed).
        await File.WriteAllTextAsync(System.IO.Path.Combine(Root, "owner.pid"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Hosts = Enumerable.Range(1, Count).Select(i => new FleetHost(this, i)).ToList();
    }

    public virtual async Task DisposeAsync()
    {
        await DownAsync();
    }

    /// <summary>Copies an image of the shared engine onto every host: <c>docker save IMAGE | ssh host docker load</c>.</summary>
    public async Task LoadImageAsync(string image)
    {
        foreach (var host in Hosts)
        {
            var load = await Runner.RunAsync(new ProcessSpec("sh", ["-c", "docker save \"$1\" | ssh -F \"$2\" \"$3\" docker load", "sh", image, SshConfig, host.Name])
            {
                Timeout = TimeSpan.FromMinutes(2),
            });
            load.ShouldSucceed();
        }
    }

    /// <summary>Stops host i's sshd (the host becomes unreachable; its dockerd keeps running).</summary>
    public async Task StopSshAsync(int index) =>
        (await ScriptAsync(TimeSpan.FromSeconds(30), "stop-ssh", Root, index.ToString(CultureInfo.InvariantCulture))).ShouldSucceed();

    public async Task StartSshAsync(int index) =>
        (await ScriptAsync(TimeSpan.FromSeconds(30), "start-ssh", Root, index.ToString(CultureInfo.InvariantCulture))).ShouldSucceed();

    internal static Task<ProcessResult> ScriptAsync(TimeSpan timeout, params string[] args) =>
        Runner.RunAsync(new ProcessSpec("bash", [Script, .. args]) { Timeout = timeout });

    private async Task DownAsync()
    {
        if (Root.Length == 0 || !Directory.Exists(Root)) return;
        var down = await ScriptAsync(TimeSpan.FromMinutes(1), "down", Root);
        if (!down.Succeeded) throw new InvalidOperationException("tearing the test fleet down failed:\n" + down);
        Directory.Delete(Root, recursive: true);
    }

    /// <summary>Fleets left by a test process that was killed (its owner.pid is gone): stopped by their pidfiles and removed.</summary>
    private static async Task CleanUpAbandonedAsync()
    {
        foreach (var dir in Directory.EnumerateDirectories(System.IO.Path.GetTempPath(), "swfl-*"))
        {
            var owner = System.IO.Path.Combine(dir, "owner.pid");
            if (!File.Exists(owner) || !int.TryParse(await File.ReadAllTextAsync(owner), out var pid)) continue;
            if (pid == Environment.ProcessId || Directory.Exists($"/proc/{pid}")) continue;
            var down = await ScriptAsync(TimeSpan.FromMinutes(1), "down", dir);
            if (down.Succeeded) Directory.Delete(dir, recursive: true);
        }
    }
}

/// <summary>One namespaced host: reached as <see cref="Name"/> over ssh, its engine from the test through its socket.</summary>
public sealed class FleetHost
{
    private static readonly SystemProcessRunner Runner = new();
    private readonly FleetHosts _fleet;

    public FleetHost(FleetHosts fleet, int index)
    {
        _fleet = fleet;
        Index = index;
        Name = "host" + index.ToString(CultureInfo.InvariantCulture);
        Address = "10.213.0." + (10 + index).ToString(CultureInfo.InvariantCulture);
        var dir = System.IO.Path.Combine(fleet.Root, "hosts", "h" + index.ToString(CultureInfo.InvariantCulture));
        Files = System.IO.Path.Combine(dir, "fs");
        DockerHost = "unix://" + System.IO.Path.Combine(dir, "docker.sock");
    }

    public int Index { get; }

    /// <summary>The ssh destination (a Host of the fleet's ssh_config).</summary>
    public string Name { get; }

    public string Address { get; }

    /// <summary>This host's own files, seen from the orchestrator (on the host they are at <see cref="FleetHosts.HostRoot"/>).</summary>
    public string Files { get; }

    public string DockerHost { get; }

    /// <summary>Where a path the host sees (under HostRoot) is, from the orchestrator.</summary>
    public string Local(string hostPath) => System.IO.Path.Combine(Files, System.IO.Path.GetRelativePath(_fleet.HostRoot, hostPath));

    /// <summary>A shell command on the host over ssh.</summary>
    public Task<ProcessResult> SshAsync(string command) =>
        Runner.RunAsync(new ProcessSpec("ssh", ["-F", _fleet.SshConfig, Name, command]) { Timeout = TimeSpan.FromMinutes(2) });

    /// <summary><c>docker</c> against this host's own engine.</summary>
    public Task<ProcessResult> DockerAsync(params string[] args) =>
        Runner.RunAsync(new ProcessSpec("docker", ["-H", DockerHost, .. args]) { Timeout = TimeSpan.FromMinutes(2) });
}
