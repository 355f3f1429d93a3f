using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.Infrastructure;

/// <summary>
/// A temp folder for one test's specs and deployment directories. On dispose it takes down every compose project
/// (project name = deployment-id) created under it, with its volumes, then deletes the folder. It never touches
/// containers or volumes of any other project.
/// </summary>
public sealed partial class Workspace : IAsyncDisposable
{
    /// <summary>Fixed host ports drawn by deploy init for a live workspace of this test process, and whose they are.</summary>
    private static readonly ConcurrentDictionary<int, Workspace> HeldPorts = new();

    private readonly TempWorkspace _temp = new();
    private readonly List<string> _deployments = [];
    private readonly List<int> _ports = [];

    public string Path => _temp.Path;

    public string Combine(params string[] parts) => _temp.Combine(parts);

    /// <summary>
    /// Writes a spec with <c>deploy init</c> and returns its absolute path. The fixed host ports it draws
    /// (<c>--map-ports-to-host localhost-fixed-random</c>) are held until this workspace is disposed: tests running side
    /// by side would otherwise draw the same port now and then, and the later start would find it taken. A spec that
    /// drew a port another live workspace holds is drawn again.
    /// </summary>
    public async Task<string> InitAsync(string stack, string name, params string[] options)
    {
        var spec = Combine(name);
        for (var attempt = 1; ; attempt++)
        {
            await SlipwayCommand.RunAsync(["--stack", stack, "deploy", "init", "--output", spec, .. options]);
            Assert.True(File.Exists(spec), $"deploy init did not write {spec}");
            var drawn = FixedHostPorts(await File.ReadAllTextAsync(spec));
            var held = drawn.Where(port => HeldPorts.TryAdd(port, this)).ToList();
            if (held.Count == drawn.Count)
            {
                _ports.AddRange(held);
                return spec;
            }

            foreach (var port in held) HeldPorts.TryRemove(port, out _);
            Assert.True(attempt < 10, $"deploy init drew host ports other tests hold {attempt} times: {string.Join(", ", drawn)}");
            File.Delete(spec);
        }
    }

    /// <summary>The published host ports of a spec's <c>HOST-IP:PORT[-END]:TARGET</c> mappings.</summary>
    public static IReadOnlyList<int> FixedHostPorts(string spec)
    {
        var ports = new List<int>();
        foreach (Match m in FixedPortMapping().Matches(spec))
        {
            var first = int.Parse(m.Groups["first"].Value, CultureInfo.InvariantCulture);
            var last = m.Groups["last"].Success ? int.Parse(m.Groups["last"].Value, CultureInfo.InvariantCulture) : first;
            for (var port = first; port <= last; port++) ports.Add(port);
        }

        return ports.Distinct().ToList();
    }

    /// <summary><c>deploy create</c> of <paramref name="spec"/> into a new directory here; returns the deployment.</summary>
    public async Task<TestDeployment> CreateAsync(string spec, string directoryName)
    {
        var directory = Combine(directoryName);
        _deployments.Add(directory);
        var result = await SlipwayCommand.RunAsync("deploy", "create", "--spec-file", spec, "--deployment-dir", directory);
        return new TestDeployment(directory, ReadDeploymentId(directory), result);
    }

    /// <summary>Registers a directory for cleanup that was created some other way.</summary>
    public void Track(string directory) => _deployments.Add(directory);

    public static string ReadDeploymentId(string directory)
    {
        var file = System.IO.Path.Combine(directory, "deployment.yml");
        Assert.True(File.Exists(file), $"{file} does not exist");
        var match = DeploymentIdLine().Match(File.ReadAllText(file));
        Assert.True(match.Success, $"{file} has no deployment-id:\n{File.ReadAllText(file)}");
        return match.Groups[1].Value.Trim('"');
    }

    /// <summary>The compose project of D: its deployment-id, or for a laconic-so directory without one its cluster-id.</summary>
    public static string ReadComposeProject(string directory)
    {
        var text = File.ReadAllText(System.IO.Path.Combine(directory, "deployment.yml"));
        var match = DeploymentIdLine().Match(text);
        if (!match.Success) match = ClusterIdLine().Match(text);
        Assert.True(match.Success, $"{directory}/deployment.yml has neither deployment-id nor cluster-id:\n{text}");
        return match.Groups[1].Value.Trim('"');
    }

    public async ValueTask DisposeAsync()
    {
        var failures = new List<string>();
        foreach (var directory in _deployments)
        {
            if (!File.Exists(System.IO.Path.Combine(directory, "deployment.yml"))) continue;
            var project = ReadComposeProject(directory);
            // Compose v2 finds a project's containers and networks by its label; no files needed. No stop grace: the test
            // is over, and a container that ignores SIGTERM (the pipeline stack's sleeper) would hold every cleanup up.
            var down = await Docker.RunAsync("compose", "--project-name", project, "down", "--volumes", "--remove-orphans", "--timeout", "0");
            if (!down.Succeeded) failures.Add(down.ToString());
            foreach (var volume in await Docker.VolumesAsync(project))
            {
                var rm = await Docker.RunAsync("volume", "rm", "--force", volume);
                if (!rm.Succeeded) failures.Add(rm.ToString());
            }
        }

        _temp.Dispose();
        foreach (var port in _ports) HeldPorts.TryRemove(port, out _);
        if (failures.Count > 0)
        {
            throw new InvalidOperationException("cleanup failed:\n" + string.Join("\n\n", failures));
        }
    }

    [GeneratedRegex(@"(?<![\w.:])\d{1,3}(?:\.\d{1,3}){3}:(?<first>\d+)(?:-(?<last>\d+))?:\d")]
    private static partial Regex FixedPortMapping();

    [GeneratedRegex(@"^deployment-id:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex DeploymentIdLine();

    [GeneratedRegex(@"^cluster-id:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ClusterIdLine();
}

/// <summary>A created deployment directory and the commands the tests run on it.</summary>
public sealed record TestDeployment(string Directory, string DeploymentId, CliResult CreateResult)
{
    public string File(params string[] parts) => System.IO.Path.Combine([Directory, .. parts]);

    public Task<CliResult> RunAsync(params string[] command) => SlipwayCommand.RunAsync(["deployment", "--dir", Directory, .. command]);

    public Task<CliResult> RunAsync(int expectedExitCode, params string[] command) =>
        SlipwayCommand.RunAsync(expectedExitCode, ["deployment", "--dir", Directory, .. command]);

    public Task<CliResult> RunUncheckedAsync(params string[] command) => SlipwayCommand.RunUncheckedAsync(["deployment", "--dir", Directory, .. command]);

    /// <summary>Where <c>port SERVICE PORT</c> says the service answers.</summary>
    public async Task<Uri> UrlAsync(string service, int port) =>
        Http.BaseUrl((await RunAsync("port", service, port.ToString(System.Globalization.CultureInfo.InvariantCulture))).StandardOutput);

    /// <summary><c>status --output json</c>, parsed.</summary>
    public async Task<IReadOnlyList<ServiceStatus>> StatusAsync(string verb = "status")
    {
        var result = await RunAsync(verb, "--output", "json");
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(result.StandardOutput);
            return json.RootElement.EnumerateArray().Select(e => new ServiceStatus(
                e.GetProperty("service").GetString()!,
                e.GetProperty("id").GetString()!,
                e.GetProperty("state").GetString()!,
                e.GetProperty("health").GetString())).ToList();
        }
        catch (System.Text.Json.JsonException e)
        {
            Assert.Fail($"{verb} --output json did not print JSON ({e.Message}):\n{result}");
            throw;
        }
    }
}

public sealed record ServiceStatus(string Service, string Id, string State, string? Health);
