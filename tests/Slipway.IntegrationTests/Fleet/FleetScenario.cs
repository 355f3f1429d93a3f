using System.Text.Json;
using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.Fleet;

/// <summary>
/// One test's operator repository (a bare remote every host can reach, an orchestrator clone holding fleet.yml) and a
/// clone of it on each host; a one-service stack whose page shows GREETING from the spec's config.
/// </summary>
public sealed class FleetScenario
{
    private FleetScenario(FleetFixture fleet, string token, GitTestRepository orchestrator)
    {
        Fleet = fleet;
        Token = token;
        Orchestrator = orchestrator;
    }

    public FleetFixture Fleet { get; }

    public string Token { get; }

    /// <summary>The orchestrator's clone of the operator repository (fleet.yml at its root).</summary>
    public GitTestRepository Orchestrator { get; }

    public string Inventory => Orchestrator.Combine("fleet.yml");

    /// <summary>Where each host has its clone (the same path on every host).</summary>
    public string HostRepo => Path.Combine(Fleet.HostRoot, Token, "ops");

    /// <summary>The deployment directory of "web" on every host.</summary>
    public string HostDir => Path.Combine(Fleet.HostRoot, Token, "deployments", "web");

    public static async Task<FleetScenario> CreateAsync(FleetFixture fleet, string greeting = "v1", string hostExtra = "", string deploymentExtra = "", bool cloneOnHosts = true)
    {
        await fleet.WipeHostsAsync();
        var token = "t" + Guid.NewGuid().ToString("N")[..8];
        var shared = Path.Combine(fleet.Root, "shared", token);
        Directory.CreateDirectory(shared);
        var hostRepo = Path.Combine(fleet.HostRoot, token, "ops");
        // The operator repository's files are bench/fleet.sh's too (scenario/): the stack as it is, the spec and fleet.yml
        // from their templates.
        var files = Directory.EnumerateFiles(Path.Combine(ScenarioFolder, "stacks"), "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(ScenarioFolder, f).Replace('\\', '/'), File.ReadAllText);
        files["deployments/web/spec.yml"] = Spec(greeting);
        files["fleet.yml"] = File.ReadAllText(Path.Combine(ScenarioFolder, "fleet.yml.in"))
            .Replace("@REPO@", hostRepo, StringComparison.Ordinal)
            .Replace("@SLIPWAY@", fleet.Slipway, StringComparison.Ordinal)
            .Replace("@DIR@", Path.Combine(fleet.HostRoot, token, "deployments", "web"), StringComparison.Ordinal)
            .Replace("@HOST2@", hostExtra, StringComparison.Ordinal)
            .Replace("@DEPLOYMENTS@", deploymentExtra, StringComparison.Ordinal);
        var orchestrator = await GitTestRepository.CreateAuthorAsync(shared, "ops", files);
        var scenario = new FleetScenario(fleet, token, orchestrator);
        if (cloneOnHosts)
        {
            foreach (var host in fleet.Hosts) await scenario.CloneOnAsync(host);
        }

        return scenario;
    }

    /// <summary>The operator repository's files, shared with bench/fleet.sh.</summary>
    public static string ScenarioFolder => Path.Combine(Paths.RepositoryRoot, "tests", "Slipway.IntegrationTests", "Fleet", "scenario");

    public static string Spec(string greeting) =>
        File.ReadAllText(Path.Combine(ScenarioFolder, "spec.yml.in")).Replace("@GREETING@", greeting, StringComparison.Ordinal);

    public async Task CloneOnAsync(FleetHost host)
    {
        var remote = await Orchestrator.RemoteAsync();
        (await host.SshAsync($"mkdir -p {Path.GetDirectoryName(HostDir)} && git clone --quiet {remote} {HostRepo}")).ShouldSucceed();
    }

    /// <summary>Commits a new greeting to the spec and pushes it.</summary>
    public async Task<string> CommitGreetingAsync(string greeting)
    {
        Orchestrator.Write("deployments/web/spec.yml", Spec(greeting));
        return await Orchestrator.CommitAndPushAsync("greeting " + greeting);
    }

    public Task<CliResult> FleetAsync(int expectedExitCode, params string[] args) =>
        SlipwayCommand.RunAsync(expectedExitCode, ["fleet", "--inventory", Inventory, .. args]);

    /// <summary>GREETING of the running web container on a host (null: no web container there).</summary>
    public static async Task<string?> GreetingAsync(FleetHost host)
    {
        var id = (await host.DockerAsync("ps", "-q", "--filter", "label=com.docker.compose.service=web")).ShouldSucceed().StandardOutput.Trim();
        if (id.Length == 0) return null;
        var env = (await host.DockerAsync("inspect", "--format", "{{range .Config.Env}}{{println .}}{{end}}", id)).ShouldSucceed().StandardOutput;
        return env.Split('\n').FirstOrDefault(l => l.StartsWith("GREETING=", StringComparison.Ordinal))?["GREETING=".Length..];
    }

    public async Task<IReadOnlyList<string?>> GreetingsAsync()
    {
        var list = new List<string?>();
        foreach (var host in Fleet.Hosts) list.Add(await GreetingAsync(host));
        return list;
    }

    /// <summary>The newest fleet run record, parsed.</summary>
    public JsonElement LatestRun()
    {
        var runs = Orchestrator.Combine(".slipway", "fleet", "runs");
        var newest = Directory.GetFiles(runs, "*.json").Order(StringComparer.Ordinal).Last();
        using var doc = JsonDocument.Parse(File.ReadAllText(newest));
        return doc.RootElement.Clone();
    }

    public static string HostState(JsonElement run, string host) =>
        run.GetProperty("hosts").EnumerateArray().First(h => h.GetProperty("host").GetString() == host).GetProperty("state").GetString()!;

    public static JsonElement Item(JsonElement run, string host) =>
        run.GetProperty("hosts").EnumerateArray().First(h => h.GetProperty("host").GetString() == host).GetProperty("deployments")[0];

    /// <summary>How many runs the host's deployment directory recorded.</summary>
    public int RunsOn(FleetHost host)
    {
        var runs = host.Local(Path.Combine(HostDir, ".slipway", "runs"));
        return Directory.Exists(runs) ? Directory.GetDirectories(runs).Length : 0;
    }
}
